-- report_section_levels: one row per (section, level) that occurs in a run, with its pages,
-- its share of the section and where its bar segment starts (start_share, 0-1), ladder order.
-- Inputs: page_levels, levels ($run_id). Feeds the stacked bar chart and the table beside it.
with
counted as (
    select coalesce(section, 'other') as section, level, count(*) as pages
    from page_levels
    where run_id = $run_id
    group by all
),

ranked as (
    select
        c.*,
        case section
            when 'home' then 1
            when 'category' then 2
            when 'product' then 3
            when 'article' then 4
            else 5
        end as section_rank,
        coalesce(l.level_rank, 99) as level_rank,
        l.level_rank is not null as on_ladder,
        sum(pages) over (partition by section) as section_pages
    from counted as c
    left join levels as l using (level)
),

shares as (
    select
        *,
        pages / section_pages as share,
        coalesce(
            sum(pages) over (
                partition by section order by level_rank, level
                rows between unbounded preceding and 1 preceding
            ) / section_pages,
            0
        ) as start_share
    from ranked
)

select section, level, pages, section_pages, share, start_share, section_rank, level_rank,
    on_ladder
from shares
order by section_rank, section, level_rank, level
