-- findings: one row per finding (a check that failed on one URL) in a run.
-- Inputs: the findings_* steps (each yields url, url_key, check, message, detail for
-- $run_id), the check_catalogue seed and page_facts (the section of the finding's page; NULL
-- for a URL not crawled).
-- group_section: the section a finding is reported under. A check that hits at least 5 pages
-- of one section is a template problem: the report shows it once per section ("on 150 of 150
-- product pages") and report_top_fixes ranks it as one fix; fewer hits stay in the check's
-- own group (NULL). Category, severity and fix come from the catalogue
-- only, so every family reads the same way; the left join leaves an unknown check code visible
-- (NULL severity) instead of dropping it, and a test asserts there are none. Crawled detail
-- text is capped at 500 characters here, once for all families. A run whose crawl did not
-- see the whole shop (runs.crawl_whole false: a limit or an interruption stopped it) gets no
-- finding of the whole_crawl_checks seed: those would exist only because the crawl stopped.
with
family_rows as (
    select * from findings_status
    union all select * from findings_links
    union all select * from findings_content
    union all select * from findings_canonical
    union all select * from findings_crawlability
    union all select * from findings_bridges
    union all select * from findings_social
    union all select * from findings_sitemaps
    union all select * from findings_products
    union all select * from findings_crawl
),

stopped_early as (
    -- runs older than the crawl_whole column: a complete run saw the whole shop
    select 1 from runs
    where run_id = $run_id and not coalesce(crawl_whole, status = 'complete')
),

trusted_rows as (
    select f.*
    from family_rows as f
    where not exists (select 1 from stopped_early)
        or f."check" not in (select "check" from whole_crawl_checks)
),

sections as (
    select distinct on (url_key) url_key, section
    from page_facts
    where run_id = $run_id
),

described as (
    select
        cast($run_id as varchar) as run_id,
        cast(f.url as varchar) as url,
        cast(f.url_key as varchar) as url_key,
        cast(f."check" as varchar) as "check",
        c.category,
        c.severity,
        cast(f.message as varchar) as message,
        c.fix,
        cast(left(f.detail, 500) as varchar) as detail,
        cast(s.section as varchar) as section
    from trusted_rows as f
    left join check_catalogue as c on c."check" = f."check"
    left join sections as s on s.url_key = f.url_key
),

grouped as (
    select
        *,
        cast(
            case when count(*) over (partition by "check", section) >= 5 then section end
            as varchar
        ) as group_section
    from described
)

select * from grouped
