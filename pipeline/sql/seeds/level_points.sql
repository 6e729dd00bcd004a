-- level_points: one row per point a page can earn towards its 0-100 connectedness score.
-- Inputs: none (a VALUES table). page_levels scores every indexable page against this list,
-- and its `earned` / `missed` columns are exactly these texts, so a report can explain any
-- score by joining back here. Points add up to 100.
--
-- When social signals arrive (levels `shared` and `conversation`, DESIGN section 4), they get
-- rows here (e.g. 'social_signals', 'conversation') and the weights are rebalanced to keep
-- the total at 100; page_levels needs only one more `when` per new point.
with
points (point, points, position, earned_text, missed_text) as (
    values
    ('og_complete', 30, 1,
     'Open Graph complete (+30)',
     'Open Graph incomplete: needs og:title, og:type, og:image and og:url (+30)'),
    ('og_image_absolute', 10, 2,
     'og:image is an absolute http(s) URL (+10)',
     'og:image missing or not an absolute http(s) URL (+10)'),
    ('og_url_matches_canonical', 10, 3,
     'og:url agrees with the canonical URL (+10)',
     'og:url missing or not the page''s canonical URL (+10)'),
    ('twitter_card', 10, 4,
     'Twitter/X card complete with an absolute image (+10)',
     'No complete Twitter/X card (twitter:card plus title, description and absolute image, '
     || 'og fallbacks allowed) (+10)'),
    ('share_affordance', 20, 5,
     'Invites sharing (share links, share widget or Web Share API) (+20)',
     'No share button, share widget or Web Share API (+20)'),
    ('links_to_shop_profiles', 20, 6,
     'Links to the shop''s social profiles (+20)',
     'No link to the shop''s own social profiles (+20)')
),

typed as (
    select
        cast(point as varchar) as point,
        cast(points as integer) as points,
        cast(position as integer) as position,
        cast(earned_text as varchar) as earned_text,
        cast(missed_text as varchar) as missed_text
    from points
)

select * from typed
