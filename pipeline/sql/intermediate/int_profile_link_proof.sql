-- int_profile_link_proof: one row per audited profile in a run: how it proves it links back to
-- the shop. Inputs: stg_profiles, runs ($run_id).
-- 'verified rel=me' (a verified link, e.g. a Mastodon field verified or a Bluesky domain
-- handle, is on the run's registrable domain runs.site) > 'profile links to shop' (its
-- website or a bio link is) > 'none'. The domains were computed when the profile was read
-- (profiles.verified_domains, profiles.link_domains), so no URL is parsed here.
with
run as (
    select lower(coalesce(site, '')) as site
    from runs
    where run_id = $run_id
),

proof as (
    select
        a.platform,
        lower(a.handle) as handle_key,
        case
            when r.site <> '' and list_contains(coalesce(a.verified_domains, []), r.site)
                then 'verified rel=me'
            when r.site <> '' and list_contains(coalesce(a.link_domains, []), r.site)
                then 'profile links to shop'
            else 'none'
        end as link_proof
    from stg_profiles as a
    left join run as r on true
)

select * from proof
