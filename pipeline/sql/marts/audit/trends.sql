-- trends: one row per (run, measure, subject): the run's totals, kept when `unsilo prune`
-- removes its per-page rows, so the index of runs and every comparison with it still work.
-- Inputs: page_levels, findings, page_facts, levels ($run_id). Measures:
-- pages_at_level (subject = level; every level of the ladder, 0 included), scored_pages,
-- avg_score (NULL when nothing was scored), indexable_pages, findings_by_severity
-- (subject = severity, 'unknown' for a check the catalogue lacks) and findings_by_check
-- (subject = check). A later measure is one more union branch, never a new table.
with
run_levels as (
    select level, score from page_levels where run_id = $run_id
),

run_findings as (
    select coalesce(severity, 'unknown') as severity, "check"
    from findings
    where run_id = $run_id
),

level_rows as (
    select 'pages_at_level' as measure, l.level as subject, count(r.level) as value
    from levels as l
    left join run_levels as r on r.level = l.level
    group by l.level
    union all
    select 'pages_at_level', r.level, count(*)
    from run_levels as r
    anti join levels as l on l.level = r.level
    group by r.level
),

score_rows as (
    select 'scored_pages' as measure, null as subject, count(*) as value from run_levels
    union all
    select 'avg_score', null, round(avg(score), 1) from run_levels
),

fact_rows as (
    select 'indexable_pages' as measure, null as subject, count(*) filter (where indexable) as value
    from page_facts
    where run_id = $run_id
),

finding_rows as (
    select 'findings_by_severity' as measure, severity as subject, count(*) as value
    from run_findings
    group by severity
    union all
    select 'findings_by_check', "check", count(*)
    from run_findings
    group by "check"
),

all_rows as (
    select * from level_rows
    union all select * from score_rows
    union all select * from fact_rows
    union all select * from finding_rows
)

select
    cast($run_id as varchar) as run_id,
    cast(measure as varchar) as measure,
    cast(subject as varchar) as subject,
    cast(value as double) as value
from all_rows
