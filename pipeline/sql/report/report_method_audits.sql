-- report_method_audits: one row per published audit unsilo's checks follow (Lighthouse's SEO
-- audits), with the checks that follow it, for the report's method section.
-- Inputs: check_references, check_catalogue (seeds). Audits in the order the references list
-- them first; checks by their summary.
with
refs as (
    select *, row_number() over () as position from check_references
),

described as (
    select r.source, r.audit, r.position, c.summary, r.note
    from refs as r
    join check_catalogue as c on c."check" = r."check"
),

audits as (
    select
        source,
        audit,
        min(position) as first_position,
        list(summary order by position) as checks,
        list(distinct note order by note) as fails_when
    from described
    group by source, audit
)

select source, audit, checks, fails_when from audits
order by first_position
