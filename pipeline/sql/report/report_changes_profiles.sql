-- report_changes_profiles: one row per social profile (platform and handle) in this run
-- ($run_id) or the run it is compared with ($previous_run_id): followers, posts in 30 days,
-- cadence (median days between posts) and push ratio, before and after, and the change:
-- 'new' (only this run has it), 'gone' (only that run), 'changed' (a figure moved, or became
-- known or unknown) or 'same'. profile_health is kept when a run is pruned, so this compares
-- with a pruned run too. NULL stays NULL: unknown is not zero. No rows without a previous run.
-- Inputs: profile_health ($run_id, $previous_run_id, $limit: NULL for every row). Changes
-- first, then by platform and handle; handles are API text: cut at 200 characters.
with
after as (
    select * from profile_health where run_id = $run_id and $previous_run_id is not null
),

before as (
    select * from profile_health where run_id = $previous_run_id
),

paired as (
    select
        cast($run_id as varchar) as run_id,
        cast($previous_run_id as varchar) as previous_run_id,
        coalesce(a.platform, b.platform) as platform,
        cap_text(coalesce(a.handle, b.handle), 200) as handle,
        coalesce(a.profile_url, b.profile_url) as profile_url,
        case
            when b.platform is null then 'new'
            when a.platform is null then 'gone'
            when a.followers is distinct from b.followers
                or a.posts_30d is distinct from b.posts_30d
                or a.median_days_between_posts is distinct from b.median_days_between_posts
                or a.push_ratio is distinct from b.push_ratio then 'changed'
            else 'same'
        end as change,
        b.followers as previous_followers,
        a.followers,
        b.posts_30d as previous_posts_30d,
        a.posts_30d,
        b.median_days_between_posts as previous_cadence_days,
        a.median_days_between_posts as cadence_days,
        b.push_ratio as previous_push_ratio,
        a.push_ratio
    from after as a
    full join before as b
        on b.platform = a.platform and lower(b.handle) = lower(a.handle)
)

select * from paired
order by change = 'same', platform, lower(handle), handle
limit $limit
