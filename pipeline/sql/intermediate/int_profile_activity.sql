-- int_profile_activity: one row per (platform, handle key) with posts in a run: how often and
-- how it posts. Inputs: stg_posts, runs ($run_id).
-- * activity counts every post (reposts too) relative to the run's started_at;
-- * the own-post counts (reposts excluded) are the denominators of profile_health's ratios;
--   engagement counts only posts whose platform reports counts (NULL = unknown, not 0);
-- * the cadence is the median gap in days between consecutive dated posts.
with
run as (
    select started_at from runs where run_id = $run_id
),

gaps as (
    select
        platform,
        handle_key,
        date_diff('second', lag(posted_at) over w, posted_at) / 86400.0 as gap_days
    from stg_posts
    where posted_at is not null
    window w as (partition by platform, handle_key order by posted_at)
),

cadence as (
    select platform, handle_key, round(median(gap_days), 2) as median_days_between_posts
    from gaps
    where gap_days is not null
    group by platform, handle_key
),

post_stats as (
    select
        t.platform,
        t.handle_key,
        count(*) as posts_seen,
        count(*) filter (where t.posted_at >= r.started_at - interval 30 day) as posts_30d,
        count(*) filter (where t.posted_at >= r.started_at - interval 90 day) as posts_90d,
        max(t.posted_at) as last_post_at,
        count(*) filter (where t.kind <> 'repost') as own_posts,
        count(*) filter (where t.kind <> 'repost' and t.is_reply_to_other) as replies_to_others,
        count(*) filter (where t.kind <> 'repost' and t.promotional is not null) as judged_posts,
        count(*) filter (where t.kind <> 'repost' and t.promotional) as promotional_posts,
        count(*) filter (
            where t.kind <> 'repost'
                and coalesce(t.likes, t.reposts, t.replies, t.quotes) is not null
        ) as counted_posts,
        sum(
            coalesce(t.likes, 0) + coalesce(t.reposts, 0) + coalesce(t.replies, 0)
            + coalesce(t.quotes, 0)
        ) filter (
            where t.kind <> 'repost'
                and coalesce(t.likes, t.reposts, t.replies, t.quotes) is not null
        ) as engagement
    from stg_posts as t
    left join run as r on true
    group by t.platform, t.handle_key
),

activity as (
    select s.*, c.median_days_between_posts
    from post_stats as s
    left join cadence as c on c.platform = s.platform and c.handle_key = s.handle_key
)

select * from activity
