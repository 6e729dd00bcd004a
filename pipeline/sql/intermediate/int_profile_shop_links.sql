-- int_profile_shop_links: one row per (platform, handle key) whose own posts link anywhere in a
-- run: how many posts link to the shop and how many indexable shop pages they reach, plus
-- the run's indexable page count (the coverage denominator).
-- Inputs: profile_post_links, page_facts ($run_id).
with
indexable_keys as (
    select url_key from page_facts where run_id = $run_id and indexable
),

link_stats as (
    select
        platform,
        lower(handle) as handle_key,
        count(distinct post_id) filter (where on_shop) as posts_linking_shop,
        count(distinct landing_key) filter (
            where on_shop and landing_key in (select url_key from indexable_keys)
        ) as shop_pages_linked
    from profile_post_links
    where run_id = $run_id
    group by platform, lower(handle)
)

select * from link_stats
