-- page_levels: one row per indexable HTML page per run: its connectedness level and score.
-- Inputs: page_facts, int_page_share_meta (page_social), int_shop_profile_pages
-- (profile_links, shop_profiles), int_page_connections, level_points, levels ($run_id).
--
-- shareable   = a share would render well: complete Open Graph (og:title, og:type, og:image,
--               og:url present) with an absolute http(s) og:image and og:url agreeing with
--               the canonical (or own) URL, OR a complete Twitter/X card with an absolute
--               image (twitter:* falling back to og:* as X does);
-- share-ready = shareable + a share affordance + a link to one of the shop's own profiles;
-- shared, conversation = int_page_connections (signals and the shop's own posts), whatever
--               the page's metadata: what happened outside ranks above what the page offers;
-- siloed      = none of these.
-- The level's name comes from the levels seed by its rank. The score is the level's
-- base_points plus the level_points earned; `earned` lists the level line and those points,
-- `missed` the next level and the points not earned, so every point is explained.
-- og:url matches when its join key (page_social.og_url_key, unsilo.urls.url_key computed at
-- extraction) is the page's own or canonical key.
with
facts as (
    select * from page_facts where run_id = $run_id and indexable
),

meta as (
    select
        f.*,
        m.og_url_key,
        m.og_title,
        m.og_type,
        m.og_image,
        m.og_url,
        m.og_description,
        m.tw_card,
        m.tw_title,
        m.tw_description,
        m.tw_image,
        coalesce(m.share_affordance, false) as share_affordance
    from facts as f
    left join int_page_share_meta as m on m.url_key = f.url_key
),

profile_pages as (
    select url_key from int_shop_profile_pages
),

readiness as (
    select
        k.*,
        coalesce(
            og_title is not null and og_type is not null and og_image is not null
            and og_url is not null, false
        ) as og_complete,
        is_absolute_http_url(og_image) as og_image_absolute,
        coalesce(
            og_url_key = final_url_key or og_url_key = canonical_key, false
        ) as og_url_matches_canonical,
        coalesce(
            tw_card is not null
            and coalesce(tw_title, og_title) is not null
            and coalesce(tw_description, og_description) is not null
            and coalesce(tw_image, og_image) is not null, false
        ) as twitter_complete,
        is_absolute_http_url(coalesce(tw_image, og_image)) as twitter_image_absolute,
        k.url_key in (select url_key from profile_pages) as links_to_shop_profiles
    from meta as k
),

point_rows as (
    select
        s.url_key,
        p.points,
        p.position,
        p.earned_text,
        p.missed_text,
        case p.point
            when 'og_complete' then s.og_complete
            when 'og_image_absolute' then s.og_image_absolute
            when 'og_url_matches_canonical' then s.og_url_matches_canonical
            when 'twitter_card' then s.twitter_complete and s.twitter_image_absolute
            when 'share_affordance' then s.share_affordance
            when 'links_to_shop_profiles' then s.links_to_shop_profiles
        end as earned
    from readiness as s
    cross join level_points as p
),

scores as (
    select
        url_key,
        cast(coalesce(sum(points) filter (where earned), 0) as integer) as score,
        coalesce(list(earned_text order by position) filter (where earned), [])
            as earned,
        coalesce(list(missed_text order by position) filter (where not earned), [])
            as missed
    from point_rows
    group by url_key
),

rendering as (
    -- a share would render well: the condition of `shareable`, kept for broken bridges
    select
        *,
        coalesce(
            (og_complete and og_image_absolute and og_url_matches_canonical)
            or (twitter_complete and twitter_image_absolute), false
        ) as renders_well
    from readiness
),

ranked as (
    -- the rung a page reaches; its name comes from the levels seed
    select
        s.*,
        c.shared,
        c.conversation,
        c.shares,
        c.shop_posts,
        c.comments,
        c.talk_backs,
        c.shared_on,
        c.unknown_sources,
        c.first_shared,
        c.first_captured,
        case
            when c.conversation then 5
            when c.shared then 4
            when not s.renders_well then 1  -- siloed
            when s.share_affordance and s.links_to_shop_profiles then 3  -- share-ready
            else 2  -- shareable
        end as level_rank
    from rendering as s
    join int_page_connections as c on c.url_key = s.url_key
),

placed as (
    -- the level line leads `earned`; the next level (if any) leads `missed`
    select
        r.*,
        l.level,
        l.base_points,
        format(_('Level {} (+{})'), l.label, l.base_points) as level_text,
        format(_('Next level {} (+{})'), n.label, n.base_points - l.base_points) as next_text
    from ranked as r
    join levels as l on l.level_rank = r.level_rank
    left join levels as n on n.level_rank = r.level_rank + 1
),

page_levels as (
    select
        s.run_id,
        s.url,
        s.url_key,
        s.section,
        s.title,
        s.level,
        cast(s.base_points + sc.score as integer) as score,
        s.og_complete,
        s.og_image_absolute,
        s.og_url_matches_canonical,
        s.twitter_complete,
        s.renders_well,
        s.share_affordance,
        s.links_to_shop_profiles,
        cast(list_prepend(s.level_text, sc.earned) as varchar[]) as earned,
        cast(
            case when s.next_text is null then sc.missed
            else list_prepend(s.next_text, sc.missed) end as varchar[]
        ) as missed,
        s.inlinks,
        s.editorial_inlinks,
        s.depth,
        s.in_sitemap,
        s.shared,
        s.conversation,
        cast(s.shares as bigint) as shares,
        cast(s.shop_posts as bigint) as shop_posts,
        cast(s.comments as bigint) as comments,
        cast(s.talk_backs as bigint) as talk_backs,
        cast(s.shared_on as varchar[]) as shared_on,
        cast(s.unknown_sources as bigint) as unknown_sources,
        s.first_shared,
        s.first_captured
    from placed as s
    join scores as sc on sc.url_key = s.url_key
)

select * from page_levels
