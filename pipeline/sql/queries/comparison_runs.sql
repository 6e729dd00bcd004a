-- comparison_runs: every stored run with the facts that decide whether a report may compare
-- with it (unsilo.pipeline.comparison decides; this only reads). Newest first.
-- Inputs: runs.
select
    run_id,
    start_url,
    started_at,
    status,
    reason,
    crawl_whole,
    settings,
    coalesce(pages, 0) as pages,
    analysed_at,
    pruned_at
from runs
order by started_at desc nulls last, run_id desc
