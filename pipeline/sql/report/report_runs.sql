-- report_runs: one row per stored run, newest first, with its average social-readiness score
-- from its totals (trends: kept when `unsilo prune` removes the run's per-page rows): the
-- index of runs. crawl_whole is false when a limit or an interruption stopped the crawl;
-- max_pages is the page limit the run was given (NULL: none). Inputs: runs, trends.
with
scores as (
    select run_id, value as avg_score
    from trends
    where measure = 'avg_score'
),

listed as (
    select
        r.run_id,
        r.start_url,
        r.site,
        r.started_at,
        r.status,
        r.reason,
        coalesce(r.pages, 0) as pages,
        coalesce(r.html_pages, 0) as html_pages,
        s.avg_score,
        coalesce(r.crawl_whole, r.status = 'complete') as crawl_whole,
        try_cast(json_extract_string(r.settings, '$.max_pages') as bigint) as max_pages,
        r.pruned_at
    from runs as r
    left join scores as s on s.run_id = r.run_id
)

select * from listed
order by started_at desc nulls last, run_id desc
