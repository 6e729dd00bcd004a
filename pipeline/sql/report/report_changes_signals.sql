-- report_changes_signals: one row per page of this run ($run_id) newly shared (shared now,
-- not in the run it is compared with, $previous_run_id) or newly discussed (in conversation
-- now, not then), per page_levels' `shared` and `conversation`, with the sources that found
-- it now and those that had not before (`new_sources`). A page that run did not score counts
-- as not shared then, unless $common (the runs differ in scope, or one is partial): then only
-- pages both runs scored count. No rows without a previous run, nor when it was pruned.
-- Inputs: page_levels, runs ($run_id, $previous_run_id, $common, $limit: NULL for every row).
-- Discussed pages first, then the most shared. Titles are crawled text: cut at 200.
with
comparable as (
    select 1 from runs where run_id = $previous_run_id and pruned_at is null
),

after as (
    select * from page_levels
    where run_id = $run_id and (shared or conversation) and exists (select 1 from comparable)
),

before as (
    select * from page_levels where run_id = $previous_run_id
),

compared as (
    select
        cast($run_id as varchar) as run_id,
        cast($previous_run_id as varchar) as previous_run_id,
        a.url,
        a.url_key,
        cap_text(a.title, 200) as title,
        b.level as previous_level,
        a.level,
        coalesce(a.shared, false) and not coalesce(b.shared, false) as newly_shared,
        coalesce(a.conversation, false) and not coalesce(b.conversation, false)
            as newly_discussed,
        b.shares as previous_shares,
        a.shares,
        a.talk_backs,
        coalesce(a.shared_on, []) as shared_on,
        list_filter(
            coalesce(a.shared_on, []), lambda s: not list_contains(coalesce(b.shared_on, []), s)
        ) as new_sources
    from after as a
    left join before as b on b.url_key = a.url_key
    where not $common or b.url_key is not null
)

select * from compared
where newly_shared or newly_discussed
order by newly_discussed desc, shares desc nulls last, url
limit $limit
