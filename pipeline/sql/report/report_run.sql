-- report_run: one row for the reported run: its record and page aggregates. Which run it is
-- compared with is unsilo.pipeline.comparison's decision (report_comparison reads it).
-- Inputs: runs, page_facts, page_levels ($run_id). Zero rows when the run is unknown.
with
this_run as (
    select * from runs where run_id = $run_id
),

facts as (
    select count(*) filter (where indexable) as indexable_pages
    from page_facts
    where run_id = $run_id
),

scores as (
    select count(*) as scored_pages, round(avg(score), 1) as avg_score
    from page_levels
    where run_id = $run_id
),

summary as (
    select
        t.run_id,
        t.start_url,
        t.site,
        t.started_at,
        t.finished_at,
        t.status,
        t.reason,
        t.unsilo_version,
        coalesce(t.pages, 0) as pages,
        coalesce(t.html_pages, 0) as html_pages,
        coalesce(t.errors, 0) as errors,
        f.indexable_pages,
        s.scored_pages,
        s.avg_score,
        coalesce(t.crawl_whole, t.status = 'complete') as crawl_whole,
        t.pruned_at
    from this_run as t
    cross join facts as f
    cross join scores as s
)

select * from summary
