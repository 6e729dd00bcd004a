-- report_finding_groups: one row per (severity, check) in a run: how many findings, a typical
-- message, the fix, and up to $examples example URLs (alphabetical, so reruns read alike).
-- Inputs: findings, severities ($run_id, $examples). Ordered most severe first, then most frequent.
with
run_findings as (
    select *, coalesce(severity, 'unknown') as severity_name
    from findings
    where run_id = $run_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by severity_name, "check" order by url nulls last
        ) as example_rank
    from run_findings
),

grouped as (
    select
        severity_name as severity,
        "check",
        any_value(category) as category,
        count(*) as findings,
        left(mode(message), 500) as message,
        any_value(fix) as fix,
        coalesce(
            list(url order by url) filter (where example_rank <= $examples and url is not null),
            []
        ) as examples
    from ranked
    group by severity_name, "check"
),

ordered as (
    select
        g.*,
        coalesce(s.severity_rank, 5) as severity_rank,
        coalesce(s.urgent, false) as urgent
    from grouped as g
    left join severities as s using (severity)
)

select * from ordered
order by severity_rank, findings desc, "check"
