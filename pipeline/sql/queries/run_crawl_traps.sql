-- The spider traps a run recognised and stopped following, for the run's reason.
-- grain: one row per trap of the run. inputs: crawl_traps.
with
traps as (
    select kind, pattern, urls
    from crawl_traps
    where run_id = $run_id
)

select * from traps order by urls desc, pattern
