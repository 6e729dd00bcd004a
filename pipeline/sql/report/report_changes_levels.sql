-- report_changes_levels: one row per page both runs scored whose level or score changed since
-- the run it is compared with ($previous_run_id): level and score before and after, the
-- direction ('up', 'down') and the ladder's detail points gained and lost (level_points'
-- earned texts, as page_levels lists them in `earned`). Pages only one run scored are
-- report_changes_pages' business, so the comparison's basis ($common) changes nothing here.
-- No rows without a previous run, nor when it was pruned (its per-page rows are gone).
-- Inputs: page_levels, levels, level_points, runs ($run_id, $previous_run_id, $limit: NULL for
-- every row, as the export takes them). Moves down lead (value leaking), then up, the biggest
-- steps first. Titles are crawled text: cut at 200 characters.
with
comparable as (
    select 1 from runs where run_id = $previous_run_id and pruned_at is null
),

after as (
    select * from page_levels where run_id = $run_id
),

before as (
    select * from page_levels
    where run_id = $previous_run_id and exists (select 1 from comparable)
),

pairs as (
    select
        a.url,
        a.url_key,
        cap_text(a.title, 200) as title,
        a.section,
        b.level as previous_level,
        a.level,
        b.score as previous_score,
        a.score,
        coalesce(la.level_rank, 99) - coalesce(lb.level_rank, 99) as rank_change,
        coalesce(a.score, 0) - coalesce(b.score, 0) as score_change,
        coalesce(a.earned, []) as earned,
        coalesce(b.earned, []) as previous_earned
    from after as a
    join before as b on b.url_key = a.url_key
    left join levels as la on la.level = a.level
    left join levels as lb on lb.level = b.level
    where a.level is distinct from b.level or a.score is distinct from b.score
),

points as (
    select
        p.url_key,
        coalesce(list(lp.earned_text order by lp.position) filter (
            where list_contains(p.earned, lp.earned_text)
            and not list_contains(p.previous_earned, lp.earned_text)
        ), []) as points_gained,
        coalesce(list(lp.earned_text order by lp.position) filter (
            where list_contains(p.previous_earned, lp.earned_text)
            and not list_contains(p.earned, lp.earned_text)
        ), []) as points_lost
    from pairs as p
    cross join level_points as lp
    group by p.url_key
),

moves as (
    select
        cast($run_id as varchar) as run_id,
        cast($previous_run_id as varchar) as previous_run_id,
        p.url,
        p.url_key,
        p.title,
        p.section,
        p.previous_level,
        p.level,
        p.previous_score,
        p.score,
        case when p.rank_change > 0 or (p.rank_change = 0 and p.score_change > 0)
            then 'up' else 'down' end as direction,
        cast(pt.points_gained as varchar[]) as points_gained,
        cast(pt.points_lost as varchar[]) as points_lost,
        p.rank_change,
        p.score_change
    from pairs as p
    join points as pt on pt.url_key = p.url_key
)

select * from moves
order by direction = 'up', abs(rank_change) desc, abs(score_change) desc, url
limit $limit
