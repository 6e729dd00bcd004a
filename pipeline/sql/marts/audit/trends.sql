-- trends: one row per (run, measure, subject): the run's totals, kept when `unsilo prune`
-- removes its per-page rows, so the index of runs, every comparison with it and the trend
-- chart across runs still work: the single source of every figure a trend shows.
-- Inputs: page_levels, findings, page_facts, levels, signal_sources, profile_health
-- ($run_id). Measures:
-- pages_at_level (subject = level; every level of the ladder, 0 included), scored_pages,
-- avg_score (NULL when nothing was scored), indexable_pages, findings_by_severity
-- (subject = severity, 'unknown' for a check the catalogue lacks), findings_by_check
-- (subject = check), signals_found (subject = source; NULL unless it answered: unknown is
-- not 0; note = its status), and per social profile (subject = platform:handle, note = the
-- platform's answer) profile_followers, profile_posts_30d and profile_cadence_days (median
-- days between posts). A later measure is one more union branch, never a new table.
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

signal_rows as (
    select
        'signals_found' as measure,
        source as subject,
        case when status in ('ok', 'partial', 'reused') then coalesce(found, 0) end as value,
        status as note
    from signal_sources
    where run_id = $run_id
),

run_profiles as (
    select
        platform || ':' || coalesce(handle, '') as subject,
        api_status as note,
        followers,
        posts_30d,
        median_days_between_posts
    from profile_health
    where run_id = $run_id
),

profile_rows as (
    select 'profile_followers' as measure, subject, followers as value, note from run_profiles
    union all
    select 'profile_posts_30d', subject, posts_30d, note from run_profiles
    union all
    select 'profile_cadence_days', subject, median_days_between_posts, note from run_profiles
),

all_rows as (
    select *, null as note from level_rows
    union all select *, null from score_rows
    union all select *, null from fact_rows
    union all select *, null from finding_rows
    union all select * from signal_rows
    union all select * from profile_rows
)

select
    cast($run_id as varchar) as run_id,
    cast(measure as varchar) as measure,
    cast(subject as varchar) as subject,
    cast(value as double) as value,
    cast(note as varchar) as note
from all_rows
