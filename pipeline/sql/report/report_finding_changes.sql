-- report_finding_changes: one row per severity: findings in this run and in the previous run
-- ($previous_run_id; previous_findings is NULL when there is none).
-- Inputs: findings, severities ($run_id, $previous_run_id). A finding whose check has no
-- catalogue entry (NULL severity) is counted as 'unknown' rather than dropped; the catalogue's
-- severities always get a row, 'unknown' only when it occurs.
with
ladder as (
    select severity, severity_rank, in_catalogue from severities
),

current_counts as (
    select coalesce(severity, 'unknown') as severity, count(*) as findings
    from findings
    where run_id = $run_id
    group by all
),

previous_counts as (
    select coalesce(severity, 'unknown') as severity, count(*) as findings
    from findings
    where run_id = $previous_run_id
    group by all
),

changes as (
    select
        l.severity,
        l.severity_rank,
        coalesce(c.findings, 0) as findings,
        case
            when $previous_run_id is not null then coalesce(p.findings, 0)
        end as previous_findings
    from ladder as l
    left join current_counts as c on c.severity = l.severity
    left join previous_counts as p on p.severity = l.severity
    where l.in_catalogue or c.findings is not null or p.findings is not null
)

select * from changes
order by severity_rank
