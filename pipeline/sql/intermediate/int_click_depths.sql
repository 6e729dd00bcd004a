-- int_click_depths: one row per URL key reachable from the start URL in a run: the fewest
-- internal links to follow from the start URL (redirects cost no click).
-- Inputs: stg_pages, int_link_targets ($run_id). Computed from the link graph because the
-- crawler's own depth counts discovery steps (a page first found in the sitemap has a small
-- crawl depth however buried it is). The start URL is the row marked found_via = 'start'.
with recursive
start_keys as (
    select url_key from stg_pages where found_via = 'start'
    union
    select final_url_key from stg_pages where found_via = 'start'
),

click_depths(url_key, click_depth) using key (url_key) as (
    -- breadth first: a key's row is replaced only by a shorter path
    select url_key, 0 from start_keys
    union
    (
        select t.target_key, min(d.click_depth + 1)
        from click_depths as d
        join int_link_targets as t on t.source_url_key = d.url_key
        left join recurring.click_depths as seen on seen.url_key = t.target_key
        where seen.click_depth is null or d.click_depth + 1 < seen.click_depth
        group by t.target_key
    )
)

select * from click_depths
