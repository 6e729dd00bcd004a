-- findings: one row per finding (a check that failed on one URL) in a run.
-- Inputs: finding_rows (a temporary table analyse() fills from every findings_* model for
-- $run_id) and check_catalogue. Category, severity and fix come from the catalogue only, so
-- every family reads the same way; the left join leaves an unknown check code visible (NULL
-- severity) instead of dropping it, and a test asserts there are none.
with
run_findings as (
    select * from finding_rows where run_id = $run_id
),

described as (
    select
        f.run_id,
        f.url,
        f.url_key,
        f."check",
        c.category,
        c.severity,
        f.message,
        c.fix,
        f.detail
    from run_findings as f
    left join check_catalogue as c on c."check" = f."check"
)

select * from described
