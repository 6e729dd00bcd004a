-- stg_url_signals: one row per distinct share of a URL that a source reported in the run.
-- Inputs: url_signals ($run_id).
-- The same item reported twice (a Lemmy post federated to three instances, a story found by
-- two questions, a row reused from an earlier run beside a fresh one) counts once, with its
-- highest counts; loose_key lets a share of http://www.… meet the page stored as https://….
with
run_signals as (
    select * from url_signals where run_id = $run_id
),

distinct_items as (
    select
        source,
        item_id,
        url_key,
        loose_key(url_key) as loose_key,
        min(url) as url,
        min(kind) as kind,
        min(permalink) as permalink,
        min(title) as title,
        min(author) as author,
        min(community) as community,
        max(points) as points,
        max(comments) as comments,
        max(replies_by_others) as replies_by_others,
        max(reposts) as reposts,
        max(quotes) as quotes,
        min(first_seen) as first_seen,
        coalesce(bool_or(by_shop), false) as by_shop,
        bool_and(status = 'reused') as reused
    from run_signals
    group by source, item_id, url_key
)

select * from distinct_items
