-- severities: one row per finding severity, most severe first; the one place their order lives.
-- Inputs: none (a VALUES table). check_catalogue gives every check one of the first four;
-- 'unknown' is how the report counts a finding whose check has no catalogue entry (NULL
-- severity), so it is listed only when such a finding occurs (in_catalogue false). `urgent`
-- severities are the ones the report calls "fix first". `fix_weight` is what one page's worth
-- of a finding of this severity counts for when report_top_fixes ranks fixes by impact: each
-- step up doubles it, so a critical error on one page outranks a low finding on eight pages
-- of the same worth, but not a high one on three.
with
ladder (severity, severity_rank, in_catalogue, urgent, fix_weight) as (
    values
    ('critical', 1, true, true, 8),
    ('high', 2, true, true, 4),
    ('medium', 3, true, false, 2),
    ('low', 4, true, false, 1),
    ('unknown', 5, false, false, 1)
),

typed as (
    select
        cast(severity as varchar) as severity,
        cast(severity_rank as integer) as severity_rank,
        cast(in_catalogue as boolean) as in_catalogue,
        cast(urgent as boolean) as urgent,
        cast(fix_weight as double) as fix_weight
    from ladder
)

select * from typed
