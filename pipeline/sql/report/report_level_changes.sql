-- report_level_changes: one row per connectedness level: pages at that level in this run and
-- in the previous run ($previous_run_id; previous_pages is NULL when there is none).
-- Inputs: page_levels, levels ($run_id, $previous_run_id). Every level of the ladder gets a
-- row (0 pages included); a level the seed does not know only when it occurs.
with
ladder as (
    select level, level_rank from levels
),

current_counts as (
    select level, count(*) as pages
    from page_levels
    where run_id = $run_id
    group by level
),

previous_counts as (
    select level, count(*) as pages
    from page_levels
    where run_id = $previous_run_id
    group by level
),

all_levels as (
    select level from ladder
    union
    select level from current_counts
    union
    select level from previous_counts
),

changes as (
    select
        a.level,
        coalesce(l.level_rank, 99) as level_rank,
        coalesce(c.pages, 0) as pages,
        case when $previous_run_id is not null then coalesce(p.pages, 0) end as previous_pages
    from all_levels as a
    left join ladder as l on l.level = a.level
    left join current_counts as c on c.level = a.level
    left join previous_counts as p on p.level = a.level
)

select * from changes
order by level_rank, level
