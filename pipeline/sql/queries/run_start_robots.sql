-- How the robots.txt that governs a run's start URL answered (its RFC 9309 outcome), to tell
-- a shop that forbids unsilo from one whose robots.txt failed (5xx or unreachable: crawl
-- nothing). grain: at most one row per run. inputs: pages, robots_txt.
with
start_page as (
    select url
    from pages
    where run_id = $run_id and found_via = 'start'
    limit 1
),

answer as (
    select r.status, r.rules, r.error, r.error_kind
    from robots_txt as r, start_page as s
    where r.run_id = $run_id and starts_with(lower(s.url), lower(r.host) || '/')
    limit 1
)

select * from answer
