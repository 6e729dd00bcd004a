-- report_pages: the $limit pages shown in the report's page table, one row per page: lowest
-- level first (siloed), then the most internally linked, so the costliest silos lead.
-- Inputs: page_levels, levels ($run_id, $limit). The full table belongs in the exports, not here.
-- Crawled titles are cut at 200 characters: a hostile shop must not be able to bloat the report.
with
run_pages as (
    select
        url,
        cap_text(title, 200) as title,
        section,
        level,
        score,
        inlinks,
        editorial_inlinks,
        depth,
        in_sitemap,
        coalesce(earned, []) as earned,
        coalesce(missed, []) as missed,
        coalesce(l.level_rank, 99) as level_rank
    from page_levels as p
    left join levels as l using (level)
    where p.run_id = $run_id
)

select * from run_pages
order by level_rank, editorial_inlinks desc nulls last, inlinks desc nulls last, url
limit $limit
