-- report_level_changes: one row per connectedness level: pages at that level in this run
-- (all of them), and, when there is a run to compare with ($previous_run_id), the pages at
-- that level in each run on the comparison's basis: compared_pages (this run) and
-- previous_pages (that run), both NULL without one. With $common (the runs differ in scope,
-- or one is partial) only the pages both runs scored count; otherwise each run's totals
-- (trends, kept when a run is pruned). Inputs: page_levels, trends, levels ($run_id,
-- $previous_run_id, $common). Every level of the ladder gets a row (0 pages included); a
-- level the seed does not know only when it occurs.
with
ladder as (
    select level, level_rank from levels
),

totals as (
    select run_id, subject as level, cast(value as bigint) as pages
    from trends
    where measure = 'pages_at_level' and run_id in ($run_id, $previous_run_id) and value > 0
),

shared_keys as (
    select url_key from page_levels where run_id = $run_id
    intersect
    select url_key from page_levels where run_id = $previous_run_id
),

common_counts as (
    select l.run_id, l.level, count(*) as pages
    from page_levels as l
    semi join shared_keys as k on k.url_key = l.url_key
    where $common and l.run_id in ($run_id, $previous_run_id)
    group by all
),

compared as (
    select * from common_counts where $common
    union all
    select * from totals where not $common
),

all_levels as (
    select level from ladder
    union
    select level from totals
),

changes as (
    select
        a.level,
        coalesce(l.level_rank, 99) as level_rank,
        coalesce(t.pages, 0) as pages,
        case when $previous_run_id is not null then coalesce(c.pages, 0) end as compared_pages,
        case when $previous_run_id is not null then coalesce(p.pages, 0) end as previous_pages
    from all_levels as a
    left join ladder as l on l.level = a.level
    left join totals as t on t.level = a.level and t.run_id = $run_id
    left join compared as c on c.level = a.level and c.run_id = $run_id
    left join compared as p on p.level = a.level and p.run_id = $previous_run_id
)

select * from changes
order by level_rank, level
