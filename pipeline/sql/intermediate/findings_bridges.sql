-- findings_bridges: one `broken_bridge` finding per crawled URL that people shared and that no
-- longer carries that value: value already earned, now leaking.
-- Inputs: int_signal_landing, page_facts, page_levels, runs ($run_id).
--
-- A bridge is a share (any source, not an archive capture) of a URL the crawl reached. It is
-- broken when the shared URL now
-- * answers 4xx/5xx or cannot be fetched;
-- * redirects to the home page or off the shop (an unrelated page for everyone who clicks);
-- * is noindex, or declares a canonical the crawl found no page for;
-- * lands on a page whose share metadata no longer renders (no complete Open Graph with an
--   absolute image and matching og:url, and no complete Twitter/X card): every new share of
--   it shows a bare link.
-- The message counts the shares and names the sources (as codes: the report shows brands),
-- the detail lists where they are. Each shown sentence is one _() pattern (see macros/messages).
with
run_site as (
    select lower(coalesce(site, '')) as site from runs where run_id = $run_id
),

shares as (
    select
        crawled_key,
        landing_key,
        count(*) as shares,
        list(distinct source order by source) as sources,
        list(distinct permalink order by permalink) filter (where permalink is not null)
            as permalinks
    from int_signal_landing
    where kind <> 'capture' and crawled_key is not null
    group by crawled_key, landing_key
),

judged as (
    select
        f.url,
        f.url_key,
        s.shares,
        s.sources,
        s.permalinks,
        case
            when f.error is not null
                then format(_('can no longer be fetched ({})'), coalesce(f.error_kind, 'error'))
            when f.status >= 400 then format(_('now answers HTTP {}'), f.status)
            when f.redirect_hops > 0 and coalesce(r.site, '') <> ''
                and f.final_url_domain is distinct from r.site
                then format(_('now redirects off the shop, to {}'), f.final_url)
            when f.redirect_hops > 0
                and regexp_matches(f.final_url_key, '^[a-z]+://[^/]+/?$')
                and not regexp_matches(f.url_key, '^[a-z]+://[^/]+/?$')
                then _('now redirects to the home page')
            when f.noindex then _('is now noindex: search engines drop it')
            when s.landing_key is null and f.canonical_key is not null
                then format(
                    _('declares a canonical URL the crawl found no page for: {}'),
                    coalesce(f.canonical, '')
                )
            when l.url_key is not null and not l.renders_well
                then _('no longer renders a share preview (incomplete Open Graph or '
                    || 'Twitter/X card)')
        end as broken_because
    from shares as s
    join page_facts as f on f.run_id = $run_id and f.url_key = s.crawled_key
    left join page_levels as l on l.run_id = $run_id and l.url_key = s.landing_key
    left join run_site as r on true
),

bridges as (
    select
        url,
        url_key,
        'broken_bridge' as "check",
        case
            when shares = 1 then format(
                _('Shared 1 time ({}) and {}'), array_to_string(sources, ', '), broken_because
            )
            else format(
                _('Shared {} times ({}) and {}'),
                shares,
                array_to_string(sources, ', '),
                broken_because
            )
        end as message,
        array_to_string(permalinks[1:10], ' ') as detail
    from judged
    where broken_because is not null
)

select * from bridges
