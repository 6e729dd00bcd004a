-- report_signal_sources: one row per source the signals step asked in a run: what it answered,
-- how much of the shop it covered, what it found, and what a token would add.
-- Inputs: signal_sources ($run_id). No rows: the run asked no source (signals off).
with
run_sources as (
    select
        source,
        status,
        left(reason, 300) as reason,
        coalesce(requests, 0) as requests,
        coalesce(urls_asked, 0) as urls_asked,
        coalesce(urls_fresh, 0) as urls_fresh,
        coalesce(urls_wanted, 0) as urls_wanted,
        coalesce(found, 0) as found,
        left(token_hint, 300) as token_hint,
        status in ('ok', 'partial', 'reused') as answered
    from signal_sources
    where run_id = $run_id
)

select * from run_sources
order by answered desc, found desc, source
