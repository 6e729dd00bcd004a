-- report_shop_post_links: the $limit shop pages most linked from the shop's own posts, one
-- row per page: most posts first, then most engagement (unknown last), then URL.
-- Inputs: shop_post_links ($run_id, $limit).
with
posted_pages as (
    select
        url,
        posts,
        list_sort(coalesce(platforms, [])) as platforms,
        engagement
    from shop_post_links
    where run_id = $run_id
)

select * from posted_pages
order by posts desc nulls last, engagement desc nulls last, url
limit $limit
