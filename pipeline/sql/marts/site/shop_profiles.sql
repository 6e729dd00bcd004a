-- shop_profiles: one row per (run, platform, handle): the shop's own social profiles.
-- Inputs: profile_links, page_facts ($run_id).
--
-- A profile linked from a shop page is not necessarily the shop's (a product page may link a
-- designer's Instagram). It counts as the shop's own when the shop claims it:
-- * it is in the shop's schema.org sameAs, or
-- * it is linked with rel="me", or
-- * it is linked from at least half of the run's HTML pages (status 200), i.e. from the
--   site-wide header or footer.
-- Handles compare case-insensitively; a profile without a parsed handle is keyed by its URL.
with
links as (
    select
        platform,
        profile_key(handle, profile_url) as profile_key,
        handle,
        profile_url,
        url_key,
        source
    from profile_links
    where run_id = $run_id
),

html_pages as (
    select count(*) as pages
    from page_facts
    where run_id = $run_id and is_html and status = 200
),

grouped as (
    select
        platform,
        profile_key,
        mode(handle) as handle,
        mode(profile_url) as profile_url,
        count(distinct url_key) as pages_linking,
        count(distinct url_key) filter (where source = 'link') as pages_with_link,
        list_sort(list_distinct(list(source))) as sources
    from links
    group by platform, profile_key
),

claimed as (
    select g.*
    from grouped as g
    cross join html_pages as h
    where list_has_any(g.sources, ['sameAs', 'rel-me'])
        or (h.pages > 0 and g.pages_with_link * 2 >= h.pages)
),

shop_profiles as (
    select
        cast($run_id as varchar) as run_id,
        cast(platform as varchar) as platform,
        cast(handle as varchar) as handle,
        cast(profile_url as varchar) as profile_url,
        cast(profile_key as varchar) as profile_key,
        cast(pages_linking as bigint) as pages_linking,
        cast(sources as varchar[]) as sources
    from claimed
)

select * from shop_profiles
