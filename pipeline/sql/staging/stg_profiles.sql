-- stg_profiles: one row per (platform, profile) the social audit read in a run: the latest
-- read when a profile was read twice (handles compare case-insensitively).
-- Inputs: profiles ($run_id).
with
ranked as (
    select
        *,
        row_number() over (
            partition by platform, lower(handle) order by fetched_at desc nulls last
        ) as copy_no
    from profiles
    where run_id = $run_id
),

latest as (
    select * exclude (copy_no) from ranked where copy_no = 1
)

select * from latest
