-- section_levels: one row per (run, section, level) with the pages at that level: the silo map.
-- Inputs: page_levels ($run_id). Only combinations that occur get a row.
with
run_levels as (
    select * from page_levels where run_id = $run_id
),

counted as (
    select
        run_id,
        section,
        level,
        count(*) as pages,
        cast(round(avg(score)) as integer) as avg_score
    from run_levels
    group by run_id, section, level
)

select * from counted
