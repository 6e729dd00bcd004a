-- stg_sitemap_keys: one row per URL key listed in any sitemap of a run.
-- Inputs: sitemap_urls ($run_id).
with
sitemap_keys as (
    select distinct url_key from sitemap_urls where run_id = $run_id
)

select * from sitemap_keys
