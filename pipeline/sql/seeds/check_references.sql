-- check_references: one row per check that follows a published audit, naming that audit.
-- Inputs: none (a VALUES table). The report's method section lists these, so a reader can
-- look up the exact semantics a check copies (Lighthouse's SEO audits, as a non-rendering
-- crawler can decide them); every `check` here is a check_catalogue code (a test holds it).
with
refs ("check", source, audit, note) as (
    values
    ('title_missing', 'Lighthouse', 'document-title', 'no <title>, or only whitespace'),
    ('description_missing', 'Lighthouse', 'meta-description', 'no meta description, or an empty one'),
    ('status_4xx', 'Lighthouse', 'http-status-code', 'the page answers 400 or above'),
    ('status_5xx', 'Lighthouse', 'http-status-code', 'the page answers 400 or above'),
    ('redirect_broken', 'Lighthouse', 'http-status-code', 'the redirect ends on 400 or above'),
    ('blocked_from_indexing', 'Lighthouse', 'is-crawlable',
     'noindex, none or a past unavailable_after for every crawler (meta robots, X-Robots-Tag)'),
    ('blocked_for_search_bots', 'Lighthouse', 'is-crawlable',
     'the same aimed at Googlebot, bingbot, DuckDuckBot or archive.org_bot only (a warning)'),
    ('hreflang_invalid', 'Lighthouse', 'hreflang', 'language(-region) code not valid, read as written'),
    ('hreflang_href_missing', 'Lighthouse', 'hreflang', 'alternate without href'),
    ('hreflang_href_relative', 'Lighthouse', 'hreflang', 'alternate href not fully qualified'),
    ('canonical_conflict', 'Lighthouse', 'canonical', 'several different canonical URLs'),
    ('canonical_invalid', 'Lighthouse', 'canonical', 'canonical href is no valid URL'),
    ('canonical_relative', 'Lighthouse', 'canonical', 'canonical href is relative'),
    ('canonical_to_root', 'Lighthouse', 'canonical', 'a deep page canonicalised to the home page'),
    ('canonical_to_alternate', 'Lighthouse', 'canonical', 'canonical is another hreflang alternate'),
    ('link_text_generic', 'Lighthouse', 'link-text',
     'generic link text of the link''s language (its lists for every language), or a bare URL'),
    ('uncrawlable_anchors', 'Lighthouse', 'crawlable-anchors',
     'no href, javascript:void(0), file: or an invalid href'),
    ('robots_txt_invalid', 'Lighthouse', 'robots-txt',
     'unknown directives, rules before any user-agent, bad sitemap URLs or patterns'),
    ('robots_unavailable', 'Lighthouse', 'robots-txt',
     'robots.txt answers 5xx or cannot be fetched (RFC 9309: crawl nothing)'),
    ('images_missing_alt', 'Lighthouse', 'image-alt',
     'img without alt, aria-label, aria-labelledby or title, unless decorative or hidden')
),

typed as (
    select
        cast("check" as varchar) as "check",
        cast(source as varchar) as source,
        cast(audit as varchar) as audit,
        cast(note as varchar) as note
    from refs
)

select * from typed
