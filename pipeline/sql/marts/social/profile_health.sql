-- profile_health: one row per (run, platform, handle): how healthy each of the shop's
-- social profiles is, with the human-readable reasons behind every judgement.
-- Inputs: profiles, posts, profile_post_links, shop_profiles, page_facts, runs ($run_id).
--
-- * linked both ways: shop → profile from shop_profiles; profile → shop when its website,
--   bio links or verified links land on runs.site. link_proof: 'verified rel=me' (Mastodon
--   field verified, or a Bluesky domain handle) > 'profile links to shop' > 'none';
-- * activity counts every post (reposts too) relative to the run's started_at;
-- * ratios are over the profile's own posts (reposts excluded), so all stay within 0–1;
--   engagement counts only posts whose platform reports counts (NULL = unknown, not 0);
-- * a profile the shop links but the social audit did not reach keeps a row (api_status NULL).
with
run as (
    select lower(coalesce(site, '')) as site, started_at
    from runs
    where run_id = $run_id
),

audited as (
    select
        * exclude (copy_no)
    from (
        select
            *,
            row_number() over (
                partition by platform, lower(handle) order by fetched_at desc nulls last
            ) as copy_no
        from profiles
        where run_id = $run_id
    )
    where copy_no = 1
),

linked_from_shop as (
    select platform, lower(handle) as handle_key, any_value(handle) as handle,
        any_value(profile_url) as profile_url, max(pages_linking) as pages_linking,
        flatten(list(sources)) as sources
    from shop_profiles
    where run_id = $run_id and handle is not null
    group by platform, lower(handle)
),

hosts as (
    select
        a.platform,
        lower(a.handle) as handle_key,
        list_transform(
            coalesce(a.verified_links, []),
            lambda u: lower(regexp_extract(u, '^[a-zA-Z]+://([^/:?#]+)', 1))
        ) as verified_hosts,
        list_transform(
            coalesce(a.links_in_bio, []) || list_filter([a.website], lambda u: u is not null),
            lambda u: lower(regexp_extract(u, '^[a-zA-Z]+://([^/:?#]+)', 1))
        ) as bio_hosts
    from audited as a
),

proof as (
    select
        h.platform,
        h.handle_key,
        case
            when r.site <> '' and len(list_filter(
                h.verified_hosts, lambda x: x = r.site or x like '%.' || r.site
            )) > 0 then 'verified rel=me'
            when r.site <> '' and len(list_filter(
                h.bio_hosts, lambda x: x = r.site or x like '%.' || r.site
            )) > 0 then 'profile links to shop'
            else 'none'
        end as link_proof
    from hosts as h
    left join run as r on true
),

timed_posts as (
    select
        p.platform,
        lower(p.handle) as handle_key,
        p.post_id,
        p.kind,
        p.is_reply_to_other,
        p.promotional,
        p.likes, p.reposts, p.replies, p.quotes,
        try_cast(p.created_at as timestamptz) at time zone 'UTC' as posted_at
    from posts as p
    where p.run_id = $run_id
),

gaps as (
    select
        platform,
        handle_key,
        date_diff('second', lag(posted_at) over w, posted_at) / 86400.0 as gap_days
    from timed_posts
    where posted_at is not null
    window w as (partition by platform, handle_key order by posted_at)
),

cadence as (
    select platform, handle_key, round(median(gap_days), 2) as median_days_between_posts
    from gaps
    where gap_days is not null
    group by platform, handle_key
),

post_stats as (
    select
        t.platform,
        t.handle_key,
        count(*) as posts_seen,
        count(*) filter (where t.posted_at >= r.started_at - interval 30 day) as posts_30d,
        count(*) filter (where t.posted_at >= r.started_at - interval 90 day) as posts_90d,
        max(t.posted_at) as last_post_at,
        count(*) filter (where t.kind <> 'repost') as own_posts,
        count(*) filter (where t.kind <> 'repost' and t.is_reply_to_other) as replies_to_others,
        count(*) filter (where t.kind <> 'repost' and t.promotional is not null) as judged_posts,
        count(*) filter (where t.kind <> 'repost' and t.promotional) as promotional_posts,
        count(*) filter (
            where t.kind <> 'repost'
                and coalesce(t.likes, t.reposts, t.replies, t.quotes) is not null
        ) as counted_posts,
        sum(
            coalesce(t.likes, 0) + coalesce(t.reposts, 0) + coalesce(t.replies, 0)
            + coalesce(t.quotes, 0)
        ) filter (
            where t.kind <> 'repost'
                and coalesce(t.likes, t.reposts, t.replies, t.quotes) is not null
        ) as engagement
    from timed_posts as t
    left join run as r on true
    group by t.platform, t.handle_key
),

link_stats as (
    select
        platform,
        lower(handle) as handle_key,
        count(distinct post_id) filter (where on_shop) as posts_linking_shop,
        count(distinct landing_key) filter (
            where on_shop and landing_key in (
                select url_key from page_facts where run_id = $run_id and indexable
            )
        ) as shop_pages_linked
    from profile_post_links
    where run_id = $run_id
    group by platform, lower(handle)
),

indexable as (
    select count(*) as pages
    from page_facts
    where run_id = $run_id and indexable
),

keys as (
    select platform, lower(handle) as handle_key from audited
    union
    select platform, handle_key from linked_from_shop
),

joined as (
    select
        k.platform,
        coalesce(a.handle, s.handle) as handle,
        coalesce(a.profile_url, s.profile_url) as profile_url,
        a.api_status,
        a.status_reason,
        s.handle_key is not null as linked_from_shop,
        coalesce(s.pages_linking, 0) as shop_pages_linking,
        coalesce(list_sort(list_distinct(s.sources)), []) as shop_link_sources,
        coalesce(pr.link_proof, 'none') as link_proof,
        a.followers,
        -- post figures are unknown (NULL), never 0, where the platform gave no posts
        case when a.api_status = 'ok' or ps.platform is not null
            then coalesce(ps.posts_seen, 0) end as posts_seen,
        case when a.api_status = 'ok' or ps.platform is not null
            then coalesce(ps.posts_30d, 0) end as posts_30d,
        case when a.api_status = 'ok' or ps.platform is not null
            then coalesce(ps.posts_90d, 0) end as posts_90d,
        ps.last_post_at,
        c.median_days_between_posts,
        case when a.api_status = 'ok' or ps.platform is not null
            then coalesce(ps.own_posts, 0) end as own_posts,
        ps.engagement / nullif(ps.counted_posts, 0) as engagement_per_post,
        ps.replies_to_others / nullif(ps.own_posts, 0) as conversation_ratio,
        ps.promotional_posts / nullif(ps.judged_posts, 0) as push_ratio,
        coalesce(ls.posts_linking_shop, 0) / nullif(ps.own_posts, 0) as link_ratio,
        case when a.api_status = 'ok' or ps.platform is not null
            then coalesce(ls.shop_pages_linked, 0) end as shop_pages_linked,
        case when a.api_status = 'ok' or ps.platform is not null
            then coalesce(ls.shop_pages_linked, 0) / nullif(i.pages, 0) end as shop_coverage
    from keys as k
    left join audited as a on a.platform = k.platform and lower(a.handle) = k.handle_key
    left join linked_from_shop as s on s.platform = k.platform and s.handle_key = k.handle_key
    left join proof as pr on pr.platform = k.platform and pr.handle_key = k.handle_key
    left join post_stats as ps on ps.platform = k.platform and ps.handle_key = k.handle_key
    left join cadence as c on c.platform = k.platform and c.handle_key = k.handle_key
    left join link_stats as ls on ls.platform = k.platform and ls.handle_key = k.handle_key
    left join indexable as i on true
),

judged as (
    select
        *,
        engagement_per_post / nullif(followers, 0) as engagement_per_follower,
        list_filter([
            case when api_status is null then 'not audited in this run' end,
            case when api_status <> 'ok' then 'no data from the platform: ' || api_status end,
            case when not linked_from_shop then 'the shop does not link this profile' end,
            case when api_status = 'ok' and link_proof = 'none'
                then 'profile does not link back to the shop' end,
            case when link_proof = 'verified rel=me'
                then 'link back to the shop is verified (rel=me or domain handle)' end,
            case when api_status = 'ok' and posts_90d = 0 then 'no posts in the last 90 days' end,
            case when posts_90d > 0 and posts_30d = 0 then 'no posts in the last 30 days' end,
            case when push_ratio > 0.5 then 'more than half of its posts are promotional' end,
            case when own_posts >= 5 and conversation_ratio = 0
                then 'never replies to others: broadcasts only' end,
            case when own_posts > 0 and link_ratio = 0 then 'its posts never link to the shop' end
        ], lambda j: j is not null) as judgements
    from joined
),

profile_health as (
    select
        cast($run_id as varchar) as run_id,
        cast(platform as varchar) as platform,
        cast(handle as varchar) as handle,
        cast(profile_url as varchar) as profile_url,
        cast(api_status as varchar) as api_status,
        cast(status_reason as varchar) as status_reason,
        cast(linked_from_shop as boolean) as linked_from_shop,
        cast(shop_pages_linking as bigint) as shop_pages_linking,
        cast(shop_link_sources as varchar[]) as shop_link_sources,
        cast(link_proof as varchar) as link_proof,
        cast(link_proof <> 'none' as boolean) as links_to_shop,
        cast(linked_from_shop and link_proof <> 'none' as boolean) as linked_both_ways,
        cast(followers as bigint) as followers,
        cast(posts_seen as bigint) as posts_seen,
        cast(posts_30d as bigint) as posts_30d,
        cast(posts_90d as bigint) as posts_90d,
        cast(last_post_at as timestamp) as last_post_at,
        cast(median_days_between_posts as double) as median_days_between_posts,
        cast(own_posts as bigint) as own_posts,
        cast(engagement_per_post as double) as engagement_per_post,
        cast(engagement_per_follower as double) as engagement_per_follower,
        cast(conversation_ratio as double) as conversation_ratio,
        cast(push_ratio as double) as push_ratio,
        cast(link_ratio as double) as link_ratio,
        cast(shop_pages_linked as bigint) as shop_pages_linked,
        cast(shop_coverage as double) as shop_coverage,
        cast(judgements as varchar[]) as judgements
    from judged
)

select * from profile_health
