-- report_top_fixes: the $limit fixes that matter most in a run, one row per check (per section
-- where the check hits a whole template: findings.group_section), ranked by
-- impact = fix_weight(severity) x the summed page_value of the distinct pages it is on.
-- Inputs: findings, page_value, page_facts, check_catalogue, severities ($run_id, $limit,
-- $examples). page_value says what a page is worth (indexable, links from content pages,
-- sitemap, already shared); severities.fix_weight doubles with each step up, so 150 product
-- pages without Open Graph outrank one server error, and one server error outranks a title
-- a little too long on a few pages. Ties: more pages first, then the check name.
with
fix_pages as (
    -- one row per page a fix is on (a check may yield several findings on one page)
    select distinct
        "check",
        coalesce(severity, 'unknown') as severity_name,
        group_section,
        coalesce(url_key, url) as page_key,
        url
    from findings
    where run_id = $run_id
),

values_by_key as (
    select distinct on (url_key) url_key, page_value
    from page_value
    where run_id = $run_id
),

valued as (
    select f.*, coalesce(v.page_value, 0.25) as page_value  -- a URL not crawled: as an error
    from fix_pages as f
    left join values_by_key as v on v.url_key = f.page_key
),

fixes as (
    select
        "check",
        severity_name as severity,
        group_section as section,
        count(*) as pages,
        sum(page_value) as page_value,
        coalesce(
            (list(url order by page_value desc, url) filter (where url is not null))[1:$examples],
            []
        ) as examples
    from valued
    group by "check", severity_name, group_section
),

section_sizes as (
    select section, count(*) as section_pages
    from page_facts
    where run_id = $run_id and is_content
    group by section
),

ranked as (
    select
        f.*,
        c.summary,
        c.fix,
        z.section_pages,
        coalesce(s.severity_rank, 5) as severity_rank,
        round(f.page_value * coalesce(s.fix_weight, 1), 2) as impact
    from fixes as f
    left join severities as s using (severity)
    left join check_catalogue as c using ("check")
    left join section_sizes as z on z.section = f.section
)

select * from ranked
order by impact desc, pages desc, "check", section nulls last
limit $limit
