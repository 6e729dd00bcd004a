-- report_comparison: one row comparing the reported run ($run_id) with the run
-- unsilo.pipeline.comparison chose ($previous_run_id): the average score of each, over the
-- pages both runs scored when $common (the runs differ in scope, or one is partial), else
-- from each run's totals (trends: kept when a run is pruned). common_pages is NULL unless
-- $common. Inputs: page_levels, trends.
with
shared_keys as (
    select url_key from page_levels where run_id = $run_id
    intersect
    select url_key from page_levels where run_id = $previous_run_id
),

common_scores as (
    select
        count(*) filter (where l.run_id = $run_id) as common_pages,
        round(avg(l.score) filter (where l.run_id = $run_id), 1) as avg_score,
        round(avg(l.score) filter (where l.run_id = $previous_run_id), 1) as previous_avg_score
    from page_levels as l
    semi join shared_keys as k on k.url_key = l.url_key
    where $common and l.run_id in ($run_id, $previous_run_id)
),

total_scores as (
    select
        cast(null as bigint) as common_pages,
        max(value) filter (where run_id = $run_id) as avg_score,
        max(value) filter (where run_id = $previous_run_id) as previous_avg_score
    from trends
    where not $common and measure = 'avg_score' and run_id in ($run_id, $previous_run_id)
)

select * from common_scores where $common
union all
select * from total_scores where not $common
