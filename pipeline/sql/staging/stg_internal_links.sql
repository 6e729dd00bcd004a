-- stg_internal_links: one row per (source key, target key) internal link of a run; anchors,
-- repeats and external links dropped. Inputs: links ($run_id).
with
internal_links as (
    select distinct source_url_key, target_url_key
    from links
    where run_id = $run_id and internal
)

select * from internal_links
