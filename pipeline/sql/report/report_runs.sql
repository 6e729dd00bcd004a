-- report_runs: one row per stored run, newest first, with its average social-readiness score:
-- the index of runs. Inputs: runs, page_levels.
with
scores as (
    select run_id, round(avg(score), 1) as avg_score, count(*) as scored_pages
    from page_levels
    group by run_id
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
        s.avg_score
    from runs as r
    left join scores as s on s.run_id = r.run_id
)

select * from listed
order by started_at desc nulls last, run_id desc
