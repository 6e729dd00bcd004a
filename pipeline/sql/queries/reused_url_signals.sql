-- reused_url_signals: the shares behind this run's reused answers (signal_checks rows with
-- status reused), copied from the run that fetched them, as url_signals rows of this run.
-- Inputs: signal_checks, url_signals ($run_id).
with
reused as (
    select source, target, reused_from
    from signal_checks
    where run_id = $run_id and status = 'reused'
)

select s.* replace (cast($run_id as varchar) as run_id, 'reused' as status)
from url_signals as s
join reused as r
    on r.reused_from = s.run_id and r.source = s.source and r.target = s.target
