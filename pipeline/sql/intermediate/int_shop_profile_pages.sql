-- int_shop_profile_pages: one row per URL key of a page that links (a plain link or rel="me")
-- to one of the shop's own profiles (shop_profiles) in a run.
-- Inputs: profile_links, shop_profiles ($run_id). Read by page_levels and findings_social.
with
shop_profile_pages as (
    select distinct l.url_key
    from profile_links as l
    join shop_profiles as p
        on p.run_id = l.run_id
        and p.platform = l.platform
        and p.profile_key = profile_key(l.handle, l.profile_url)
    where l.run_id = $run_id and l.source in ('link', 'rel-me')
)

select * from shop_profile_pages
