-- report_changes_pages: one row per HTML page only one of the two runs crawled: 'new' (only
-- this run, $run_id) or 'gone' (only the run it is compared with, $previous_run_id), matched
-- by join key, with the status, indexability and level that run saw. `certain` is false with
-- $common (the runs differ in scope, or one is partial): then a page only one run crawled may
-- simply lie outside what the other run fetched, and the report says so. No rows without a
-- previous run, nor when it was pruned (its pages are gone). Inputs: page_facts, page_levels,
-- levels, runs ($run_id, $previous_run_id, $common, $limit: NULL for every row). Indexable
-- pages first, then by URL. Titles are crawled text: cut at 200 characters.
with
comparable as (
    select 1 from runs where run_id = $previous_run_id and pruned_at is null
),

crawled as (
    select run_id, url, url_key, status, indexable, section, title
    from page_facts
    where run_id in ($run_id, $previous_run_id) and is_html
        and exists (select 1 from comparable)
),

keyed as (
    select *, count(distinct run_id) over (partition by url_key) as runs_with_it
    from crawled
),

alone as (
    select
        cast($run_id as varchar) as run_id,
        cast($previous_run_id as varchar) as previous_run_id,
        case when k.run_id = $run_id then 'new' else 'gone' end as change,
        not $common as certain,
        k.url,
        k.url_key,
        cap_text(k.title, 200) as title,
        k.section,
        k.status,
        k.indexable,
        l.level,
        l.score
    from keyed as k
    left join page_levels as l on l.run_id = k.run_id and l.url_key = k.url_key
    where k.runs_with_it = 1
)

select * from alone
order by change desc, indexable desc nulls last, url
limit $limit
