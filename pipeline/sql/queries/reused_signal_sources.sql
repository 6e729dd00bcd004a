-- reused_signal_sources: one signal_sources row per source whose answers this run only reused
-- (it has reused signal_checks but no row of its own: the spider did not run it), so the
-- report lists it as reused, never as "not asked". Inputs: signal_checks, signal_sources ($run_id).
with
reused as (
    select source, list(distinct reused_from order by reused_from) as runs, sum(found) as found
    from signal_checks
    where run_id = $run_id and status = 'reused'
    group by source
)

select
    cast($run_id as varchar) as run_id,
    r.source,
    'reused' as status,
    'answers of run ' || array_to_string(r.runs, ', ') || ' reused (still fresh)' as reason,
    0 as requests,
    0 as urls_asked,
    0 as urls_fresh,
    0 as urls_wanted,
    cast(r.found as bigint) as found
from reused as r
where not exists (
    select 1 from signal_sources as s where s.run_id = $run_id and s.source = r.source
)
