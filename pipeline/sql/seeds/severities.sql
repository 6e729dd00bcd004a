-- severities: one row per finding severity, most severe first; the one place their order lives.
-- Inputs: none (a VALUES table). check_catalogue gives every check one of the first four;
-- 'unknown' is how the report counts a finding whose check has no catalogue entry (NULL
-- severity), so it is listed only when such a finding occurs (in_catalogue false). `urgent`
-- severities lead the report's summary of what to fix first.
with
ladder (severity, severity_rank, in_catalogue, urgent) as (
    values
    ('critical', 1, true, true),
    ('high', 2, true, true),
    ('medium', 3, true, false),
    ('low', 4, true, false),
    ('unknown', 5, false, false)
),

typed as (
    select
        cast(severity as varchar) as severity,
        cast(severity_rank as integer) as severity_rank,
        cast(in_catalogue as boolean) as in_catalogue,
        cast(urgent as boolean) as urgent
    from ladder
)

select * from typed
