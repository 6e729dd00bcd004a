-- int_inlinks: one row per linked URL key in a run: how many distinct internal pages link to
-- it (inlinks), and how many of them from their own content (editorial_inlinks: not the
-- navigation, header, footer or sidebar every page repeats). Redirects followed, self-links
-- not counted. Inputs: int_link_targets ($run_id).
with
inlink_counts as (
    select
        target_key,
        count(distinct source_url_key) as inlinks,
        count(distinct source_url_key) filter (where in_content) as editorial_inlinks
    from int_link_targets
    where source_url_key <> target_key
    group by target_key
)

select * from inlink_counts
