-- report_signal_summary: one row per run: how many sources were asked and answered, how many
-- signals they found, and how many pages the ladder counts as shared or in conversation.
-- Inputs: signal_sources, page_levels, findings ($run_id).
with
sources as (
    select
        count(*) as sources_asked,
        count(*) filter (where status in ('ok', 'partial', 'reused')) as sources_answered,
        coalesce(sum(found), 0) as signals_found
    from signal_sources
    where run_id = $run_id
),

pages as (
    select
        count(*) filter (where shared) as pages_shared,
        count(*) filter (where conversation) as pages_in_conversation
    from page_levels
    where run_id = $run_id
),

bridges as (
    select count(*) as broken_bridges
    from findings
    where run_id = $run_id and "check" = 'broken_bridge'
),

summary as (
    select
        cast(s.sources_asked as bigint) as sources_asked,
        cast(s.sources_answered as bigint) as sources_answered,
        cast(s.signals_found as bigint) as signals_found,
        cast(p.pages_shared as bigint) as pages_shared,
        cast(p.pages_in_conversation as bigint) as pages_in_conversation,
        cast(b.broken_bridges as bigint) as broken_bridges
    from sources as s, pages as p, bridges as b
)

select * from summary
