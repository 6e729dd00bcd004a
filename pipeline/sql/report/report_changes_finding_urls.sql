-- report_changes_finding_urls: one row per finding new since the run this one is compared
-- with ($previous_run_id), or fixed since (in that run, not in this one): the export behind
-- report_changes_findings' counts, URL by URL. A finding is its URL (join key) and check; with
-- $common (the runs differ in scope, or one is partial) only URLs both runs crawled count.
-- No rows without a previous run, nor when it was pruned. Inputs: findings, page_facts,
-- severities, runs ($run_id, $previous_run_id, $common, $limit: NULL for every row).
-- Messages are crawled text: cut at 500 characters.
with
comparable as (
    select 1 from runs where run_id = $previous_run_id and pruned_at is null
),

shared_keys as (
    select url_key from page_facts where run_id = $run_id
    intersect
    select url_key from page_facts where run_id = $previous_run_id
),

compared as (
    select run_id, coalesce(url_key, url) as finding_key, url, "check", severity, message
    from findings
    where run_id in ($run_id, $previous_run_id) and exists (select 1 from comparable)
        and (not $common or url_key in (select url_key from shared_keys))
),

keyed as (
    select
        *,
        count(distinct run_id) over (partition by finding_key, "check") as runs_with_it
    from compared
),

changed as (
    select
        cast($run_id as varchar) as run_id,
        cast($previous_run_id as varchar) as previous_run_id,
        case when k.run_id = $run_id then 'new' else 'fixed' end as change,
        k."check",
        coalesce(k.severity, 'unknown') as severity,
        coalesce(s.severity_rank, 99) as severity_rank,
        k.url,
        cap_text(k.message, 500) as message
    from keyed as k
    left join severities as s on s.severity = coalesce(k.severity, 'unknown')
    where k.runs_with_it = 1
)

select * from changed
order by change desc, severity_rank, "check", url
limit $limit
