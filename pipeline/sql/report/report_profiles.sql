-- report_profiles: one row per social profile the shop claims on its site, most linked first.
-- Inputs: shop_profiles ($run_id).
with
profiles as (
    select platform, handle, profile_url, pages_linking, coalesce(sources, []) as sources
    from shop_profiles
    where run_id = $run_id
)

select * from profiles
order by pages_linking desc nulls last, platform, handle
