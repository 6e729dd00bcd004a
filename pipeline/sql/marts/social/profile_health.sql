-- profile_health: one row per (run, platform, handle): how healthy each of the shop's
-- social profiles is, with the human-readable reasons behind every judgement.
-- Inputs: stg_profiles, int_profile_link_proof, int_profile_activity, int_profile_shop_links,
-- shop_profiles, page_facts ($run_id); the steps say how proof, activity and links are counted.
--
-- * linked both ways: shop → profile from shop_profiles; profile → shop per link_proof;
-- * ratios are over the profile's own posts (reposts excluded), so all stay within 0–1;
-- * a profile the shop links but the social audit did not reach keeps a row (api_status NULL).
with
linked_from_shop as (
    select platform, lower(handle) as handle_key, any_value(handle) as handle,
        any_value(profile_url) as profile_url, max(pages_linking) as pages_linking,
        flatten(list(sources)) as sources
    from shop_profiles
    where run_id = $run_id and handle is not null
    group by platform, lower(handle)
),

indexable as (
    select count(*) as pages
    from page_facts
    where run_id = $run_id and indexable
),

keys as (
    select platform, lower(handle) as handle_key from stg_profiles
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
        ps.median_days_between_posts,
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
    left join stg_profiles as a on a.platform = k.platform and lower(a.handle) = k.handle_key
    left join linked_from_shop as s on s.platform = k.platform and s.handle_key = k.handle_key
    left join int_profile_link_proof as pr
        on pr.platform = k.platform and pr.handle_key = k.handle_key
    left join int_profile_activity as ps
        on ps.platform = k.platform and ps.handle_key = k.handle_key
    left join int_profile_shop_links as ls
        on ls.platform = k.platform and ls.handle_key = k.handle_key
    left join indexable as i on true
),

judged as (
    select
        *,
        engagement_per_post / nullif(followers, 0) as engagement_per_follower,
        list_filter([
            case when api_status is null then _('not audited in this run') end,
            case when api_status <> 'ok'
                then format(_('no data from the platform: {}'), api_status) end,
            case when not linked_from_shop then _('the shop does not link this profile') end,
            case when api_status = 'ok' and link_proof = 'none'
                then _('profile does not link back to the shop') end,
            case when link_proof = 'verified rel=me'
                then _('link back to the shop is verified (rel=me or domain handle)') end,
            case when api_status = 'ok' and posts_90d = 0
                then _('no posts in the last 90 days') end,
            case when posts_90d > 0 and posts_30d = 0 then _('no posts in the last 30 days') end,
            case when push_ratio > 0.5 then _('more than half of its posts are promotional') end,
            case when own_posts >= 5 and conversation_ratio = 0
                then _('never replies to others: broadcasts only') end,
            case when own_posts > 0 and link_ratio = 0
                then _('its posts never link to the shop') end
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
