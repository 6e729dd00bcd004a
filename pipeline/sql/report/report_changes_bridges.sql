-- report_changes_bridges: one row per broken bridge of this run ($run_id) that the run it is
-- compared with ($previous_run_id) did not have: a shared URL that broke since. With the
-- level and status the URL had in that run (NULL: not scored or not crawled then). With
-- $common (the runs differ in scope, or one is partial) only URLs both runs crawled count: a
-- URL the other run never fetched cannot be said to have broken since. No rows without a
-- previous run, nor when it was pruned. Inputs: findings, page_facts, page_levels, runs
-- ($run_id, $previous_run_id, $common, $limit: NULL for every row). The most shared first;
-- the message (already one sentence, see report_broken_bridges) is cut at 500 characters.
with
comparable as (
    select 1 from runs where run_id = $previous_run_id and pruned_at is null
),

shared_keys as (
    select url_key from page_facts where run_id = $run_id
    intersect
    select url_key from page_facts where run_id = $previous_run_id
),

bridges as (
    select run_id, url, coalesce(url_key, url) as bridge_key, message, detail
    from findings
    where "check" = 'broken_bridge' and run_id in ($run_id, $previous_run_id)
        and exists (select 1 from comparable)
        and (not $common or url_key in (select url_key from shared_keys))
),

broke as (
    select n.*
    from bridges as n
    anti join bridges as o on o.bridge_key = n.bridge_key and o.run_id = $previous_run_id
    where n.run_id = $run_id
),

described as (
    select
        cast($run_id as varchar) as run_id,
        cast($previous_run_id as varchar) as previous_run_id,
        b.url,
        cap_text(b.message, 500) as message,
        len(list_filter(string_split(coalesce(b.detail, ''), ' '), lambda p: p <> ''))
            as permalink_count,
        l.level as previous_level,
        f.status as previous_status
    from broke as b
    left join page_levels as l on l.run_id = $previous_run_id and l.url_key = b.bridge_key
    left join page_facts as f on f.run_id = $previous_run_id and f.url_key = b.bridge_key
)

select * from described
order by permalink_count desc, url
limit $limit
