-- report_levels: one row per connectedness level, in ladder order, as the report's level
-- filter, chart colours and method legend list them. Inputs: levels (seed).
with
ladder as (
    select level, label, meaning, reachable, level_rank from levels
)

select level, label, meaning, reachable from ladder
order by level_rank
