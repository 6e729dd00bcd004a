-- report_top_silos: the $limit siloed pages worth connecting first. One row per page.
-- Inputs: page_levels, levels ($run_id, $limit); siloed is the ladder's first rung.
--
-- silo_value = ln(1 + editorial_inlinks) + sitemap_weight + depth_weight + archive_weight:
-- * editorial_inlinks: pages linking to it from their own content, not from the navigation,
--   header, footer or sidebar every page repeats (page_facts): counting those made /about
--   and /contact the "best linked" pages of every shop; the logarithm keeps the hundredth
--   link worth less than the first;
-- * sitemap_weight = 0.5 when the shop lists it in its sitemap (it wants it found);
-- * depth_weight = 1 / (1 + click depth): a page near the home page gets visits;
-- * archive_weight = 0.25 when the Wayback Machine has captured it: the web knows it.
-- Ties go to the shallower page, then the URL. Titles are cut at 200 characters, as in
-- report_pages.
with
silos as (
    select
        url,
        cap_text(title, 200) as title,
        section,
        score,
        inlinks,
        editorial_inlinks,
        depth,
        in_sitemap,
        missed,
        ln(1 + coalesce(editorial_inlinks, 0))
        + case when in_sitemap then 0.5 else 0 end
        + case when depth is null then 0 else 1.0 / (1 + depth) end
        + case when first_captured is not null then 0.25 else 0 end as silo_value
    from page_levels as p
    join levels as l using (level)
    where p.run_id = $run_id and l.level_rank = 1
)

select * from silos
order by silo_value desc, depth nulls last, url
limit $limit
