-- stg_posts: one row per post the social audit read in a run, with its time as a UTC
-- timestamp (NULL when the platform's text does not parse) and a case-insensitive handle key.
-- Inputs: posts ($run_id).
with
timed_posts as (
    select
        p.platform,
        lower(p.handle) as handle_key,
        p.post_id,
        p.kind,
        p.is_reply_to_other,
        p.promotional,
        p.likes, p.reposts, p.replies, p.quotes,
        try_cast(p.created_at as timestamptz) at time zone 'UTC' as posted_at
    from posts as p
    where p.run_id = $run_id
)

select * from timed_posts
