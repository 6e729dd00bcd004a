-- levels: one row per connectedness level, in ladder order; the one place the ladder lives.
-- Inputs: none (a VALUES table). page_levels names a page's level from here (by rank), the
-- report queries order by level_rank, and the report's filter, chart and method legend list
-- these rows. `reachable` says whether today's crawl can place a page at the level: shared and
-- conversation need measured social signals (DESIGN section 4) and stay unreachable until then.
with
ladder (level, level_rank, label, meaning, reachable) as (
    values
    ('siloed', 1, 'siloed',
     'nothing connects it: a share would not render well (incomplete Open Graph or Twitter/X '
     || 'card, or no absolute image).', true),
    ('shareable', 2, 'shareable',
     'a share would render well (complete Open Graph with an absolute image and an og:url '
     || 'matching the canonical, or a complete Twitter/X card), but nothing invites sharing.',
     true),
    ('share-ready', 3, 'share-ready',
     'shareable, with a share button, widget or the Web Share API, and a link to the shop''s '
     || 'own social profiles.', true),
    ('shared', 4, 'shared',
     'share-ready, and people have shared or mentioned the page on social media (measured '
     || 'shares and mentions).', false),
    ('conversation', 5, 'conversation',
     'shared, and the shares start conversations (measured replies).', false)
),

typed as (
    select
        cast(level as varchar) as level,
        cast(level_rank as integer) as level_rank,
        cast(label as varchar) as label,
        cast(meaning as varchar) as meaning,
        cast(reachable as boolean) as reachable
    from ladder
)

select * from typed
