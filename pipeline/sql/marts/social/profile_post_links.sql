-- profile_post_links: one row per (run, platform, post, link) of the profiles' own posts,
-- with the key the link finally lands on and whether that is the shop.
-- Inputs: post_links, posts, page_facts, runs ($run_id).
--
-- * the landing key: the spider's resolved short link (resolved_url_key) when it followed one,
--   else the link's own key; then the shop's own redirect from page_facts (url_key →
--   final_url_key), so a post linking an old URL credits the page it now resolves to;
-- * "on the shop": the landing URL's registrable domain (stored beside it: post_links.domain,
--   .resolved_domain, pages.final_url_domain) is the run's (runs.site);
-- * reposts are not the profile's own wording: their links are left out.
with
run as (
    select lower(coalesce(site, '')) as site
    from runs
    where run_id = $run_id
),

own_posts as (
    select distinct
        platform,
        post_id,
        handle,
        coalesce(likes, 0) + coalesce(reposts, 0) + coalesce(replies, 0) + coalesce(quotes, 0)
            as engagement,
        replies
    from posts
    where run_id = $run_id and kind <> 'repost'
),

links as (
    select distinct
        l.platform,
        l.post_id,
        l.url,
        coalesce(l.resolved_url_key, l.url_key) as hop_key,
        coalesce(l.resolved_url, l.url) as hop_url,
        case when l.resolved_url_key is not null then l.resolved_domain else l.domain end
            as hop_domain
    from post_links as l
    where l.run_id = $run_id
),

landed as (
    select
        o.platform,
        o.handle,
        o.post_id,
        o.engagement,
        o.replies,
        l.url,
        coalesce(pf.final_url_key, l.hop_key) as landing_key,
        coalesce(pf.final_url, l.hop_url) as landing_url,
        case when pf.url_key is not null then pf.final_url_domain else l.hop_domain end
            as landing_domain
    from links as l
    inner join own_posts as o on o.platform = l.platform and o.post_id = l.post_id
    left join page_facts as pf on pf.run_id = $run_id and pf.url_key = l.hop_key
),

profile_post_links as (
    select
        cast($run_id as varchar) as run_id,
        d.platform,
        d.handle,
        d.post_id,
        d.engagement,
        cast(d.replies as bigint) as replies,
        d.url,
        d.landing_key,
        d.landing_url,
        coalesce(r.site <> '' and d.landing_domain = r.site, false) as on_shop
    from landed as d
    left join run as r on true
)

select * from profile_post_links
