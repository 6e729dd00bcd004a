-- workbook_trends: the workbook's trends sheet, one row per (run, measure, subject) of every
-- finished run (complete or partial) of $run_id's site up to $run_id, oldest first: the
-- totals the trend chart draws, with the time each run started, so a spreadsheet can chart
-- or pivot them. Inputs: runs, trends ($run_id).
with
this_run as (
    select site, started_at from runs where run_id = $run_id
),

site_runs as (
    select r.run_id, r.started_at, r.status
    from runs as r, this_run as t
    where r.site = t.site
      and r.status in ('complete', 'partial')
      and r.started_at <= t.started_at
)

select
    s.started_at,
    s.run_id,
    s.status,
    t.measure,
    t.subject,
    t.value,
    t.note
from site_runs as s
join trends as t on t.run_id = s.run_id
order by s.started_at, s.run_id, t.measure, t.subject
