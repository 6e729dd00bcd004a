-- level_points: one row per detail point a page can earn on top of its level's base score.
-- Inputs: none (a VALUES table). A page's score is its level's `base_points` (levels seed) plus
-- the points earned here; page_levels lists the level line and exactly these texts as
-- `earned` / `missed`, so a report can explain any score. The details add up to 14, less than
-- the smallest step between two levels' bases (16), so details never outrank the ladder; the
-- highest level plus every detail is 100.
with
points (point, points, position, earned_text, missed_text) as (
    values
    ('og_complete', 3, 1,
     'Open Graph complete (+3)',
     'Open Graph incomplete: needs og:title, og:type, og:image and og:url (+3)'),
    ('og_image_absolute', 2, 2,
     'og:image is an absolute http(s) URL (+2)',
     'og:image missing or not an absolute http(s) URL (+2)'),
    ('og_url_matches_canonical', 2, 3,
     'og:url agrees with the canonical URL (+2)',
     'og:url missing or not the page''s canonical URL (+2)'),
    ('twitter_card', 2, 4,
     'Twitter/X card complete with an absolute image (+2)',
     'No complete Twitter/X card (twitter:card plus title, description and absolute image, '
     || 'og fallbacks allowed) (+2)'),
    ('share_affordance', 2, 5,
     'Invites sharing (share links, share widget or Web Share API) (+2)',
     'No share button, share widget or Web Share API (+2)'),
    ('links_to_shop_profiles', 3, 6,
     'Links to the shop''s social profiles (+3)',
     'No link to the shop''s own social profiles (+3)')
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
