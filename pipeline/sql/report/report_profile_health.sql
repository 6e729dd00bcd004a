-- report_profile_health: one row per social profile of the run, as the health cards and the
-- "could not be audited" table show it: audited profiles (api_status 'ok') first, then the
-- rest, each by platform and handle. NULL numbers stay NULL (unknown is not zero).
-- Inputs: profile_health ($run_id, $limit). Handles are cut at 200 characters,
-- platform reasons at 500, judgements at 20 of 300: API text is as hostile as crawled text.
with
run_profiles as (
    select
        cap_text(platform, 60) as platform,
        cap_text(handle, 200) as handle,
        profile_url,
        api_status,
        cap_text(status_reason, 500) as status_reason,
        coalesce(api_status = 'ok', false) as audited,
        linked_from_shop,
        links_to_shop,
        link_proof,
        followers,
        posts_30d,
        posts_90d,
        median_days_between_posts,
        engagement_per_post,
        engagement_per_follower,
        conversation_ratio,
        push_ratio,
        link_ratio,
        shop_coverage,
        list_transform(
            coalesce(judgements, [])[1:20],
            lambda j: cap_text(j, 300)
        ) as judgements
    from profile_health
    where run_id = $run_id
)

select * from run_profiles
order by audited desc, platform, lower(handle), handle
limit $limit
