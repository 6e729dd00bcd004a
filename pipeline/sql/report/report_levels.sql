-- report_levels: one row per connectedness level, in ladder order, as the report's level
-- filter, chart colours and method legend list them. Inputs: levels (seed).
with
ladder as (
    select level, label, meaning, base_points, level_rank from levels
)

select level, label, meaning, base_points from ladder
order by level_rank
