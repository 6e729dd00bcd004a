-- report_page_signals: one row per (page in $urls, source asked) of a run: what the source says
-- of the page — found (counts and the first permalink), none, or unknown (why) — found first.
-- Inputs: page_signals, page_levels ($run_id, $urls: the URLs the page table shows).
-- Unknown is never none: its counts stay NULL and its reason is shown instead.
with
shown as (
    select url, url_key
    from page_levels
    where run_id = $run_id and list_contains($urls, url)
),

lines as (
    select
        p.url,
        s.source,
        s.status,
        left(s.reason, 300) as reason,
        s.shares,
        s.points,
        s.comments,
        s.replies_by_others,
        s.permalinks[1] as permalink,
        case s.status when 'found' then 0 when 'unknown' then 1 else 2 end as status_rank
    from shown as p
    join page_signals as s on s.run_id = $run_id and s.url_key = p.url_key
)

select * from lines
order by url, status_rank, source
