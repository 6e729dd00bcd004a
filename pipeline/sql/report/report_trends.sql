-- report_trends: one row per finished run (complete or partial) that has totals, oldest
-- first: the points of the trend chart and table. Read from trends only (kept when a run is
-- pruned), so years of pruned monthly runs still draw. levels lists every level in ladder
-- order with its pages and share of the scored pages (0-100, NULL when nothing was scored);
-- the other lists are (subject, value, note) of one measure each, severities most severe
-- first; settings and reason let the chart mark partial runs and runs asked something else.
-- Inputs: runs, trends, levels, severities.
with
level_counts as (
    select
        t.run_id,
        t.subject as level,
        t.value as pages,
        round(100 * t.value / nullif(sum(t.value) over (partition by t.run_id), 0), 1) as share,
        l.level_rank
    from trends as t
    left join levels as l on l.level = t.subject
    where t.measure = 'pages_at_level'
),

run_levels as (
    select
        run_id,
        list({'level': level, 'pages': pages, 'share': share} order by level_rank nulls last, level)
            as level_pages
    from level_counts
    group by run_id
),

run_severities as (
    select
        t.run_id,
        list({'subject': t.subject, 'value': t.value, 'note': t.note, 'rank': s.severity_rank}
            order by s.severity_rank nulls last, t.subject) as severities
    from trends as t
    left join severities as s on s.severity = t.subject
    where t.measure = 'findings_by_severity'
    group by t.run_id
),

measures as (
    select
        run_id,
        max(value) filter (where measure = 'avg_score') as avg_score,
        coalesce(max(value) filter (where measure = 'scored_pages'), 0) as scored_pages,
        list({'subject': subject, 'value': value, 'note': note} order by subject)
            filter (where measure = 'signals_found') as signals,
        list({'subject': subject, 'value': value, 'note': note} order by subject)
            filter (where measure = 'profile_followers') as followers,
        list({'subject': subject, 'value': value, 'note': note} order by subject)
            filter (where measure = 'profile_cadence_days') as cadence
    from trends
    group by run_id
)

select
    r.run_id,
    r.start_url,
    r.started_at,
    r.status,
    r.reason,
    r.settings,
    m.avg_score,
    cast(m.scored_pages as bigint) as scored_pages,
    coalesce(l.level_pages, []) as levels,
    coalesce(sv.severities, []) as severities,
    coalesce(m.signals, []) as signals,
    coalesce(m.followers, []) as followers,
    coalesce(m.cadence, []) as cadence
from runs as r
join measures as m on m.run_id = r.run_id
left join run_levels as l on l.run_id = r.run_id
left join run_severities as sv on sv.run_id = r.run_id
where r.status in ('complete', 'partial')
order by r.started_at, r.run_id
