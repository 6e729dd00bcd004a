-- shop_post_links: one row per (run, shop page) linked from the shop's own posts: which
-- pages the shop pushes on social media, from how many posts, on which platforms.
-- Inputs: profile_post_links, page_facts ($run_id).
-- A post counts once per page however many of its links land there; engagement is the sum
-- over those posts (likes + reposts + replies + quotes, unknown counts as 0); `replies` alone
-- (NULL when no post's count is known) says whether the shop's posts start conversations.
with
on_shop as (
    select distinct platform, post_id, engagement, replies, landing_key, landing_url
    from profile_post_links
    where run_id = $run_id and on_shop
),

per_page as (
    select
        landing_key as url_key,
        min(landing_url) as landing_url,
        count(*) as posts,
        list_sort(list_distinct(list(platform))) as platforms,
        sum(engagement) as engagement,
        sum(replies) as replies
    from (
        select
            platform,
            post_id,
            landing_key,
            max(engagement) as engagement,
            max(replies) as replies,
            min(landing_url) as landing_url
        from on_shop
        group by platform, post_id, landing_key
    )
    group by landing_key
),

shop_post_links as (
    select
        cast($run_id as varchar) as run_id,
        cast(p.url_key as varchar) as url_key,
        cast(coalesce(pf.url, p.landing_url) as varchar) as url,
        cast(p.posts as bigint) as posts,
        cast(p.platforms as varchar[]) as platforms,
        cast(p.engagement as bigint) as engagement,
        cast(p.replies as bigint) as replies
    from per_page as p
    left join page_facts as pf on pf.run_id = $run_id and pf.url_key = p.url_key
)

select * from shop_post_links
