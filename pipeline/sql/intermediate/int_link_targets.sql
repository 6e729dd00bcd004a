-- int_link_targets: one row per (source key, target key) an internal link reaches in a run,
-- where a link to a URL that redirected also reaches the URL it redirected to; in_content
-- when one such link stands in the source page's own content (stg_internal_links).
-- Inputs: stg_internal_links, stg_pages ($run_id). union all, not union: the readers count
-- distinct sources or take minimum depths, so the (rare) duplicates change nothing.
with
redirected as (
    select url_key, final_url_key from stg_pages where final_url_key <> url_key
),

link_targets as (
    select source_url_key, target_url_key as target_key, in_content from stg_internal_links
    union all
    select l.source_url_key, r.final_url_key as target_key, l.in_content
    from stg_internal_links as l
    join redirected as r on r.url_key = l.target_url_key
)

select * from link_targets
