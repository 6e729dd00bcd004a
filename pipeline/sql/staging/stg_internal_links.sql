-- stg_internal_links: one row per (source key, target key) internal link of a run; anchors,
-- repeats and external links dropped. in_content: at least one of those links stands in the
-- source page's own content, not its navigation, header, footer or sidebar (links.position,
-- unsilo.extract.link_position; rows stored before positions were recorded count as content).
-- Inputs: links ($run_id).
with
internal_links as (
    select
        source_url_key,
        target_url_key,
        bool_or(coalesce(position, 'content') = 'content') as in_content
    from links
    where run_id = $run_id and internal
    group by source_url_key, target_url_key
)

select * from internal_links
