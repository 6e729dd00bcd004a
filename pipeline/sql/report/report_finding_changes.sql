-- report_finding_changes: one row per severity: findings in this run (all of them), and,
-- when there is a run to compare with ($previous_run_id), findings of that severity in each
-- run on the comparison's basis: compared_findings (this run) and previous_findings (that
-- run), both NULL without one. With $common (the runs differ in scope, or one is partial)
-- only findings on URLs both runs crawled count; otherwise each run's totals (trends, kept
-- when a run is pruned). Inputs: findings, page_facts, trends, severities ($run_id,
-- $previous_run_id, $common). A finding whose check has no catalogue entry (NULL severity)
-- is counted as 'unknown' rather than dropped; the catalogue's severities always get a row,
-- 'unknown' only when it occurs.
with
ladder as (
    select severity, severity_rank, in_catalogue from severities
),

totals as (
    select run_id, subject as severity, cast(value as bigint) as findings
    from trends
    where measure = 'findings_by_severity' and run_id in ($run_id, $previous_run_id)
),

shared_keys as (
    select url_key from page_facts where run_id = $run_id
    intersect
    select url_key from page_facts where run_id = $previous_run_id
),

common_counts as (
    select f.run_id, coalesce(f.severity, 'unknown') as severity, count(*) as findings
    from findings as f
    semi join shared_keys as k on k.url_key = f.url_key
    where $common and f.run_id in ($run_id, $previous_run_id)
    group by all
),

compared as (
    select * from common_counts where $common
    union all
    select * from totals where not $common
),

changes as (
    select
        l.severity,
        l.severity_rank,
        coalesce(t.findings, 0) as findings,
        case when $previous_run_id is not null then coalesce(c.findings, 0) end
            as compared_findings,
        case when $previous_run_id is not null then coalesce(p.findings, 0) end
            as previous_findings
    from ladder as l
    left join totals as t on t.severity = l.severity and t.run_id = $run_id
    left join compared as c on c.severity = l.severity and c.run_id = $run_id
    left join compared as p on p.severity = l.severity and p.run_id = $previous_run_id
    where l.in_catalogue or t.findings is not null or p.findings is not null
)

select * from changes
order by severity_rank
