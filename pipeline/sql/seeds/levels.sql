-- levels: one row per connectedness level, in ladder order; the one place the ladder lives.
-- Inputs: none (a VALUES table). page_levels names a page's level from here (by rank) and
-- starts its score at `base_points`; the report queries order by level_rank, and the report's
-- filter, chart and method legend list these rows, with each level's base score.
--
-- Readiness (siloed → shareable → share-ready) is what the shop controls on the page;
-- shared and conversation are what happened outside: a page people shared is `shared` even if
-- its metadata is poor (that is a broken bridge, see findings_bridges). The score agrees with
-- the ladder by construction: a level's base exceeds the one below by more than all detail
-- points together (level_points: 14), so a higher level never scores below a lower one.
with
ladder (level, level_rank, label, meaning, base_points) as (
    values
    ('siloed', 1, 'siloed',
     'nothing connects it: a share would not render well (incomplete Open Graph or Twitter/X '
     || 'card, or no absolute image), and nobody has shared it.', 0),
    ('shareable', 2, 'shareable',
     'a share would render well (complete Open Graph with an absolute image and an og:url '
     || 'matching the canonical, or a complete Twitter/X card), but nothing invites sharing.',
     30),
    ('share-ready', 3, 'share-ready',
     'shareable, with a share button, widget or the Web Share API, and a link to the shop''s '
     || 'own social profiles.', 50),
    ('shared', 4, 'shared',
     'people or the shop''s own profiles have shared it: a post, story, thread, citation or '
     || 'share count from a source the run asked.', 70),
    ('conversation', 5, 'conversation',
     'shared, and people talk back: replies or comments by others on posts that link it, '
     || 'replies to the shop''s own posts about it, or reviews on the page.', 86)
),

typed as (
    select
        cast(level as varchar) as level,
        cast(level_rank as integer) as level_rank,
        cast(label as varchar) as label,
        cast(meaning as varchar) as meaning,
        cast(base_points as integer) as base_points
    from ladder
)

select * from typed
