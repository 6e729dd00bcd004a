-- int_page_connections: one row per indexable page: whether it is shared and whether people
-- talk back, summed over every source and the shop's own posts.
-- Inputs: page_signals, shop_post_links, page_facts ($run_id).
--
-- shared       = a share, story, thread, citation or count from any source (the shop's own
--                posts found by a source included), or a post on the shop's own profiles
--                that links it (shop_post_links);
-- conversation = shared, and replies/comments by others on posts that link it, replies to the
--                shop's own posts that link it, or reviews on the page (Review/AggregateRating
--                structured data).
with
pages as (
    select
        url_key,
        final_url_key,
        coalesce(
            list_has_any(
                list_transform(structured_data_types, lambda t: regexp_replace(t, '^.*[/#:]', '')),
                ['Review', 'AggregateRating', 'Comment']
            ),
            false
        ) as has_reviews
    from page_facts
    where run_id = $run_id and indexable
),

per_page as (
    select
        url_key,
        sum(shares) as shares,
        sum(comments) as comments,
        sum(replies_by_others) as replies_by_others,
        -- replies by others where the source tells them apart, else its comments
        sum(coalesce(replies_by_others, comments)) as talk_backs,
        list(source order by source) filter (where status = 'found') as shared_on,
        count(*) filter (where status = 'unknown') as unknown_sources,
        count(*) filter (where status <> 'unknown') as answered_sources,
        min(first_shared) as first_shared,
        min(first_captured) as first_captured
    from page_signals
    where run_id = $run_id
    group by url_key
),

own_posts as (
    select url_key, posts, replies
    from shop_post_links
    where run_id = $run_id
),

connections as (
    select
        p.url_key,
        coalesce(s.shares, 0) as shares,
        coalesce(o.posts, 0) as shop_posts,
        s.comments,
        s.replies_by_others,
        s.talk_backs,
        o.replies as shop_post_replies,
        coalesce(s.shared_on, []) as shared_on,
        coalesce(s.unknown_sources, 0) as unknown_sources,
        coalesce(s.answered_sources, 0) as answered_sources,
        s.first_shared,
        s.first_captured,
        p.has_reviews,
        coalesce(s.shares, 0) > 0 or coalesce(o.posts, 0) > 0 as shared
    from pages as p
    left join per_page as s on s.url_key = p.url_key
    left join own_posts as o on o.url_key = p.final_url_key
)

select
    *,
    shared and (
        coalesce(talk_backs, 0) > 0
        or coalesce(shop_post_replies, 0) > 0
        or has_reviews
    ) as conversation
from connections
