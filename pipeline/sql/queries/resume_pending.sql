-- resume_pending: the URLs a stored run linked to but never stored, for a resumed crawl.
-- grain: one row per target URL (fragment dropped, as the spider follows it).
-- inputs: pages, links, runs ($run_id). Only internal links of stored HTML pages that loaded
-- (status below 400) count, as only those are followed; depth is the shallowest source's + 1,
-- and a target beyond the run's depth limit (its recorded max_depth) is not pending.
-- A target stored only as a redirect's final URL is still pending: its source's links were
-- followed, so the crawl requested it too (a row of its own, its content described once)
-- unless the redirect had reached it first, which storage cannot tell.
with stored as (
    select url, final_url_key, depth, is_html, status
    from pages
    where run_id = $run_id
),

fetched as (
    select url from stored
),

sources as (
    select final_url_key, min(depth) as depth
    from stored
    where is_html and status < 400
    group by final_url_key
),

targets as (
    select split_part(links.target_url, '#', 1) as url, min(sources.depth) + 1 as depth
    from links
    inner join sources on links.source_url_key = sources.final_url_key
    where links.run_id = $run_id and links.internal
    group by 1
),

depth_limit as (
    select try_cast(json_extract_string(settings, '$.max_depth') as integer) as max_depth
    from runs
    where run_id = $run_id
),

pending as (
    select targets.url, targets.depth
    from targets
    anti join fetched on targets.url = fetched.url
    where targets.url <> ''
      and targets.depth <= coalesce((select max_depth from depth_limit), targets.depth)
)

select * from pending
order by depth, url
