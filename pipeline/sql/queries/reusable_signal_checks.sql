-- reusable_signal_checks: the fresh answers of earlier runs (fresh_signal_checks' rule) that
-- this run did not ask itself, as signal_checks rows of this run marked reused.
-- Inputs: signal_checks, runs ($run_id, $max_age_days, $now: the run's clock, unsilo.clock).
with
this_run as (
    select site from runs where run_id = $run_id
),

answered as (
    select c.*, coalesce(c.reused_from, c.run_id) as from_run
    from signal_checks as c
    join runs as r on r.run_id = c.run_id
    join this_run as t on t.site = r.site
    where c.run_id <> $run_id
        and c.status in ('ok', 'partial', 'reused')
        and try_cast(c.fetched_at as timestamptz)
            >= cast($now as timestamptz) - to_days(cast($max_age_days as integer))
),

newest as (
    select distinct on (source, scope, target) *
    from answered
    order by source, scope, target, try_cast(fetched_at as timestamptz) desc
)

select
    cast($run_id as varchar) as run_id,
    n.source,
    n.scope,
    n.target,
    'reused' as status,
    n.reason,
    n.found,
    0 as requests,
    n.fetched_at,
    n.from_run as reused_from
from newest as n
where not exists (
    select 1 from signal_checks as c
    where c.run_id = $run_id and c.source = n.source and c.target = n.target
)
