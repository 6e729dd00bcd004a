-- page_signals: one row per (run, indexable page, source asked): what that source says of the
-- page — found (with counts), none (asked and answered, nothing found) or unknown (why).
-- Inputs: int_signal_landing, page_facts, signal_sources, signal_checks ($run_id).
--
-- A page is answered by a source when the source's domain listing was answered or the page's
-- own question was; a share counts on the page it lands on (int_signal_landing). Archive
-- captures (kind 'capture') date the page but are no social signal: they fill first_captured
-- and never make a page `found`. Unknown is never 0: its counts stay NULL.
with
pages as (
    select url_key from page_facts where run_id = $run_id and indexable
),

sources as (
    select distinct on (source) source, status, reason
    from signal_sources
    where run_id = $run_id
    order by source, status
),

answered_domain as (
    select distinct source
    from signal_checks
    where run_id = $run_id and scope = 'domain' and status in ('ok', 'partial', 'reused')
),

answered_url as (
    select distinct source, target
    from signal_checks
    where run_id = $run_id and scope = 'url' and status in ('ok', 'partial', 'reused')
),

found as (
    select
        landing_key as url_key,
        source,
        count(*) filter (where kind <> 'capture') as shares,
        count(*) filter (where kind <> 'capture' and by_shop) as shop_shares,
        sum(points) filter (where kind <> 'capture') as points,
        sum(comments) filter (where kind <> 'capture') as comments,
        sum(replies_by_others) filter (where kind <> 'capture') as replies_by_others,
        sum(reposts) filter (where kind <> 'capture') as reposts,
        sum(quotes) filter (where kind <> 'capture') as quotes,
        min(first_seen) filter (where kind <> 'capture') as first_shared,
        min(first_seen) filter (where kind = 'capture') as first_captured,
        list(distinct permalink order by permalink) filter (
            where kind <> 'capture' and permalink is not null
        ) as permalinks
    from int_signal_landing
    where landing_key is not null
    group by landing_key, source
),

page_signals as (
    select
        cast($run_id as varchar) as run_id,
        p.url_key,
        s.source,
        case
            when coalesce(f.shares, 0) > 0 then 'found'
            when d.source is not null or u.source is not null then 'none'
            else 'unknown'
        end as status,
        case
            when d.source is not null or u.source is not null then null
            when s.status in ('ok', 'partial') then _('not asked in this run (per-URL budget)')
            when s.reason is null then s.status
            else format(_('{}: {}'), s.status, s.reason)
        end as reason,
        cast(f.shares as bigint) as shares,
        cast(f.shop_shares as bigint) as shop_shares,
        cast(f.points as bigint) as points,
        cast(f.comments as bigint) as comments,
        cast(f.replies_by_others as bigint) as replies_by_others,
        cast(f.reposts as bigint) as reposts,
        cast(f.quotes as bigint) as quotes,
        f.first_shared,
        f.first_captured,
        cast(f.permalinks[1:5] as varchar[]) as permalinks
    from pages as p
    cross join sources as s
    left join found as f on f.url_key = p.url_key and f.source = s.source
    left join answered_domain as d on d.source = s.source
    left join answered_url as u on u.source = s.source and u.target = p.url_key
)

select * from page_signals
