-- int_profile_link_proof: one row per audited profile in a run: how it proves it links back to
-- the shop. Inputs: stg_profiles, runs ($run_id).
-- 'verified rel=me' (a verified link, e.g. a Mastodon field verified or a Bluesky domain
-- handle, lands on runs.site or below) > 'profile links to shop' (its website or a bio link
-- does) > 'none'.
with
run as (
    select lower(coalesce(site, '')) as site
    from runs
    where run_id = $run_id
),

hosts as (
    select
        a.platform,
        lower(a.handle) as handle_key,
        list_transform(coalesce(a.verified_links, []), lambda u: url_host(u)) as verified_hosts,
        list_transform(
            coalesce(a.links_in_bio, []) || list_filter([a.website], lambda u: u is not null),
            lambda u: url_host(u)
        ) as bio_hosts
    from stg_profiles as a
),

proof as (
    select
        h.platform,
        h.handle_key,
        case
            when len(list_filter(h.verified_hosts, lambda x: host_on_site(x, r.site))) > 0
                then 'verified rel=me'
            when len(list_filter(h.bio_hosts, lambda x: host_on_site(x, r.site))) > 0
                then 'profile links to shop'
            else 'none'
        end as link_proof
    from hosts as h
    left join run as r on true
)

select * from proof
