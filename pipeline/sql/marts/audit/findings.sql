-- findings: one row per finding (a check that failed on one URL) in a run.
-- Inputs: the findings_* steps (each yields url, url_key, check, message, detail for
-- $run_id) and the check_catalogue seed. Category, severity and fix come from the catalogue
-- only, so every family reads the same way; the left join leaves an unknown check code visible
-- (NULL severity) instead of dropping it, and a test asserts there are none. Crawled detail
-- text is capped at 500 characters here, once for all families.
with
family_rows as (
    select * from findings_status
    union all select * from findings_links
    union all select * from findings_content
    union all select * from findings_canonical
    union all select * from findings_bridges
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
        cast(left(f.detail, 500) as varchar) as detail
    from family_rows as f
    left join check_catalogue as c on c."check" = f."check"
)

select * from described
