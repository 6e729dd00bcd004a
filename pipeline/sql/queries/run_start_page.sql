-- The start URL's own row of a run, to judge whether the crawl could see the shop at all.
-- grain: at most one row per run. inputs: pages.
with start_page as (
    select url, final_url, status, error, error_kind, is_html, content_type
    from pages
    where run_id = $run_id and found_via = 'start'
    limit 1
),

html_pages as (
    select count(*) as ok_html_pages
    from pages
    where run_id = $run_id and is_html and status between 200 and 299
)

select start_page.*, html_pages.ok_html_pages
from start_page, html_pages
