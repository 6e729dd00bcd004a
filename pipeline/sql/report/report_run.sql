-- report_run: one row for the reported run: its record, page aggregates, and the previous
-- run of the same site (complete or partial, started earlier) to compare against.
-- Inputs: runs, page_facts, page_levels ($run_id). Zero rows when the run is unknown.
with
this_run as (
    select * from runs where run_id = $run_id
),

facts as (
    select count(*) filter (where indexable) as indexable_pages
    from page_facts
    where run_id = $run_id
),

scores as (
    select count(*) as scored_pages, round(avg(score), 1) as avg_score
    from page_levels
    where run_id = $run_id
),

previous as (
    select r.run_id as previous_run_id, r.started_at as previous_started_at
    from runs as r
    join this_run as t
        on r.site = t.site
        and r.run_id <> t.run_id
        and r.started_at < t.started_at
    where r.status in ('complete', 'partial')
    order by r.started_at desc
    limit 1
),

previous_scores as (
    select round(avg(l.score), 1) as previous_avg_score
    from page_levels as l
    join previous as p on l.run_id = p.previous_run_id
),

summary as (
    select
        t.run_id,
        t.start_url,
        t.site,
        t.started_at,
        t.finished_at,
        t.status,
        t.reason,
        t.unsilo_version,
        coalesce(t.pages, 0) as pages,
        coalesce(t.html_pages, 0) as html_pages,
        coalesce(t.errors, 0) as errors,
        f.indexable_pages,
        s.scored_pages,
        s.avg_score,
        p.previous_run_id,
        p.previous_started_at,
        ps.previous_avg_score
    from this_run as t
    cross join facts as f
    cross join scores as s
    left join previous as p on true
    left join previous_scores as ps on true
)

select * from summary
