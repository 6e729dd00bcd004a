-- report_changes_findings: one row per check with findings in either run: how many of this
-- run's findings are new since the run it is compared with ($previous_run_id), how many of
-- that run's are fixed (gone now) and how many are still open, with up to $examples URLs of
-- the new and the fixed. A finding is its URL (join key) and check. With $common (the runs
-- differ in scope, or one is partial) only findings on URLs both runs crawled count: a URL
-- the other run never fetched is neither new nor fixed. No rows without a previous run, nor
-- when it was pruned (its findings are gone). Inputs: findings, page_facts, check_catalogue,
-- severities, runs ($run_id, $previous_run_id, $common, $examples, $limit: NULL for every row).
-- Checks that changed come first (most severe first), then those only still open. Every new
-- or fixed finding, URL by URL, is report_changes_finding_urls.
with
comparable as (
    select 1 from runs where run_id = $previous_run_id and pruned_at is null
),

shared_keys as (
    select url_key from page_facts where run_id = $run_id
    intersect
    select url_key from page_facts where run_id = $previous_run_id
),

after as (
    select coalesce(url_key, url) as finding_key, url, "check"
    from findings
    where run_id = $run_id and exists (select 1 from comparable)
        and (not $common or url_key in (select url_key from shared_keys))
),

before as (
    select coalesce(url_key, url) as finding_key, url, "check"
    from findings
    where run_id = $previous_run_id and exists (select 1 from comparable)
        and (not $common or url_key in (select url_key from shared_keys))
),

marked as (
    select a."check", a.url, 'new' as change
    from after as a
    anti join before as b on b.finding_key = a.finding_key and b."check" = a."check"
    union all
    select a."check", a.url, 'still_open' as change
    from after as a
    semi join before as b on b.finding_key = a.finding_key and b."check" = a."check"
    union all
    select b."check", b.url, 'fixed' as change
    from before as b
    anti join after as a on a.finding_key = b.finding_key and a."check" = b."check"
),

by_check as (
    select
        "check",
        count(*) filter (where change = 'new') as new,
        count(*) filter (where change = 'fixed') as fixed,
        count(*) filter (where change = 'still_open') as still_open,
        coalesce(list(distinct url order by url) filter (where change = 'new'), [])
            as new_urls,
        coalesce(list(distinct url order by url) filter (where change = 'fixed'), [])
            as fixed_urls
    from marked
    group by "check"
),

described as (
    select
        cast($run_id as varchar) as run_id,
        cast($previous_run_id as varchar) as previous_run_id,
        c."check",
        k.summary,
        coalesce(k.severity, 'unknown') as severity,
        coalesce(s.severity_rank, 99) as severity_rank,
        c.new,
        c.fixed,
        c.still_open,
        cast(c.new_urls[1:$examples] as varchar[]) as new_examples,
        cast(c.fixed_urls[1:$examples] as varchar[]) as fixed_examples
    from by_check as c
    left join check_catalogue as k on k."check" = c."check"
    left join severities as s on s.severity = coalesce(k.severity, 'unknown')
)

select * from described
order by new + fixed = 0, severity_rank, new desc, fixed desc, "check"
limit $limit
