-- report_broken_bridges: one row per broken bridge of a run (a shared URL that no longer carries
-- what its shares earned), most shares linked first; the report's first section.
-- Inputs: findings ($run_id, $limit, $permalinks).
--
-- The `broken_bridge` finding's message already says it all in one sentence ("Shared 3 times
-- (hackernews, lemmy) and now answers HTTP 404"): it is shown as written, not picked apart.
-- Its detail lists the shares' permalinks, space-separated; the first $permalinks are kept.
-- Permalinks are crawled text: the template links only http(s) ones.
with
bridges as (
    select
        url,
        left(message, 500) as message,
        list_filter(string_split(coalesce(detail, ''), ' '), lambda p: p <> '') as all_permalinks
    from findings
    where run_id = $run_id and "check" = 'broken_bridge'
),

shown as (
    select
        url,
        message,
        cast(all_permalinks[1:$permalinks] as varchar[]) as permalinks,
        len(all_permalinks) as permalink_count
    from bridges
)

select * from shown
order by permalink_count desc, url
limit $limit
