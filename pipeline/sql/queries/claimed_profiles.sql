-- claimed_profiles: one row per social profile the shop claims in one run, the social
-- crawl's input. Inputs: shop_profiles ($run_id), so analyse() must have built the run.
--
-- Which profiles the shop claims (sameAs, rel="me", or linked from at least half of its HTML
-- pages) is decided once, in shop_profiles.sql; this only reads that decision, in a stable
-- order so the spider starts the same profiles in the same order every run.
with
claimed as (
    select platform, handle, profile_url, sources
    from shop_profiles
    where run_id = $run_id
)

select * from claimed
order by platform, handle, profile_url
