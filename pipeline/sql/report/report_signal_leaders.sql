-- report_signal_leaders: the run's most shared and most discussed pages, one row per page per
-- list (`ranking` 'shared' or 'discussed'), at most $limit rows per list, in list order.
-- Inputs: page_levels, levels ($run_id, $limit).
--
-- most shared    = most shares from any source (ties: most talk-backs, then URL);
-- most discussed = most talk-backs (replies by others, else comments), then most comments.
-- `shared_on` names the sources that found the page; `shop_posts` counts the shop's own posts.
with
run_pages as (
    select
        url,
        cap_text(title, 200) as title,
        level,
        score,
        coalesce(shares, 0) as shares,
        coalesce(shop_posts, 0) as shop_posts,
        comments,
        talk_backs,
        list_sort(coalesce(shared_on, [])) as shared_on
    from page_levels
    where run_id = $run_id
),

most_shared as (
    select
        'shared' as ranking,
        *,
        row_number() over (
            order by shares desc, talk_backs desc nulls last, url
        ) as position
    from run_pages
    where shares > 0
),

most_discussed as (
    select
        'discussed' as ranking,
        *,
        row_number() over (
            order by talk_backs desc, comments desc nulls last, shares desc, url
        ) as position
    from run_pages
    where coalesce(talk_backs, 0) > 0
),

leaders as (
    select * from most_shared where position <= $limit
    union all
    select * from most_discussed where position <= $limit
)

select * from leaders
order by ranking desc, position
