-- report_finding_groups: one row per (severity, check, section group) in a run: how many
-- findings, a typical message, the fix, and up to $examples examples (alphabetical, so
-- reruns read alike): each the URL the finding is on and its detail (a broken link's
-- target, the sitemap that lists a URL), so the report shows what is broken, not only where. A check that hits a whole template is grouped by section
-- (findings.group_section: "on 150 of 150 product pages", with section_pages the section's
-- content pages); the rest of its findings form one group with section NULL.
-- Inputs: findings, page_facts, check_catalogue, severities ($run_id, $examples). Ordered
-- most severe first, then most frequent.
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
            partition by severity_name, "check", group_section order by url nulls last
        ) as example_rank
    from run_findings
),

grouped as (
    select
        severity_name as severity,
        "check",
        group_section as section,
        any_value(category) as category,
        count(*) as findings,
        left(mode(message), 500) as message,
        any_value(fix) as fix,
        coalesce(
            list({'url': url, 'detail': detail} order by url)
                filter (where example_rank <= $examples and url is not null),
            []
        ) as examples
    from ranked
    group by severity_name, "check", group_section
),

section_sizes as (
    select section, count(*) as section_pages
    from page_facts
    where run_id = $run_id and is_content
    group by section
),

ordered as (
    select
        g.*,
        c.summary,
        z.section_pages,
        coalesce(s.severity_rank, 5) as severity_rank,
        coalesce(s.urgent, false) as urgent
    from grouped as g
    left join severities as s using (severity)
    left join check_catalogue as c using ("check")
    left join section_sizes as z on z.section = g.section
)

select * from ordered
order by severity_rank, findings desc, "check", section nulls last
