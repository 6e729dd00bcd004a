-- report_pages: the $limit pages shown in the report's page table, one row per page: lowest
-- level first (siloed), then the most internally linked, so the costliest silos lead.
-- Inputs: page_levels ($run_id, $limit). The full table belongs in the exports, not here.
-- Crawled titles are cut at 200 characters: a hostile shop must not be able to bloat the report.
with
run_pages as (
    select
        url,
        case when length(title) > 200 then left(title, 199) || '…' else title end as title,
        section,
        level,
        score,
        inlinks,
        depth,
        in_sitemap,
        coalesce(earned, []) as earned,
        coalesce(missed, []) as missed,
        case level
            when 'siloed' then 1
            when 'shareable' then 2
            when 'share-ready' then 3
            when 'shared' then 4
            when 'conversation' then 5
            else 99
        end as level_rank
    from page_levels
    where run_id = $run_id
)

select * from run_pages
order by level_rank, inlinks desc nulls last, url
limit $limit
