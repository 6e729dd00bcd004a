-- report_top_silos: the $limit siloed pages with the most SEO value: in the sitemap first,
-- then the most internal links, then the shallowest. One row per page.
-- Inputs: page_levels, levels ($run_id, $limit); siloed is the ladder's first rung.
-- Titles are cut at 200 characters, as in report_pages.
with
silos as (
    select
        url,
        cap_text(title, 200) as title,
        section,
        score,
        inlinks,
        depth,
        in_sitemap,
        missed
    from page_levels as p
    join levels as l using (level)
    where p.run_id = $run_id and l.level_rank = 1
)

select * from silos
order by coalesce(in_sitemap, false) desc, inlinks desc nulls last, depth nulls last, url
limit $limit
