-- findings_canonical: one row per canonical or hreflang finding of an HTML 200 page in a run.
-- Inputs: page_facts ($run_id). Canonical targets are judged only when they were crawled in
-- the same run (an uncrawled target is unknown, not wrong). Lighthouse's canonical and
-- hreflang audits add checks on facts the extractor judged (unsilo.extract.canonical,
-- unsilo.extract.hreflang): invalid and relative hrefs, a deep page canonicalised to the home
-- page or to another of its hreflang alternates, alternates without or with relative hrefs.
-- Hreflang targets match pages by join key (the hreflang entry's url_key, computed at
-- extraction, against a page's own or final key), so a missing return link is reported only
-- when no spelling of this page that shares its key appears on the target.
with
facts as (
    select * from page_facts where run_id = $run_id
),

content as (
    select * from facts where is_content
),

canonical_elsewhere as (
    select
        url,
        url_key,
        'canonical_elsewhere' as "check",
        _('The canonical points to another URL, so this page asks not to be indexed itself')
            as message,
        canonical as detail
    from content
    where canonical_key is not null and canonical_key <> final_url_key
),

canonical_conflicts as (
    select
        url,
        url_key,
        'canonical_conflict' as "check",
        format(_('Declares {} different canonical URLs; search engines may ignore all of them'),
            len(list_distinct(canonicals))) as message,
        array_to_string(list_distinct(canonicals), ' ') as detail
    from content
    where canonical_conflict
),

canonical_targets as (
    select
        c.url,
        c.url_key,
        c.canonical,
        t.status as target_status,
        t.redirect_hops as target_hops,
        t.noindex as target_noindex,
        t.error_kind as target_error_kind
    from content as c
    join facts as t on t.url_key = c.canonical_key
    where c.canonical_key <> c.final_url_key
),

canonical_target_findings as (
    select
        url,
        url_key,
        case
            when target_status is null or target_status >= 400 then 'canonical_to_error'
            when target_hops > 0 then 'canonical_to_redirect'
            else 'canonical_to_noindex'
        end as "check",
        case
            when target_status is null then _('The canonical target could not be fetched')
            when target_status >= 400
                then format(_('The canonical target answers HTTP {}'), target_status)
            when target_hops > 0 then _('The canonical target redirects')
            else _('The canonical target is marked noindex')
        end as message,
        canonical as detail
    from canonical_targets
    where (target_status is null and target_error_kind is distinct from 'robots')
        or target_status >= 400
        or target_hops > 0
        or (target_status = 200 and target_noindex)
),

canonical_mistakes as (
    select url, url_key, 'canonical_invalid' as "check",
        format(_('The canonical "{}" is not a valid URL, so it is ignored'),
            left(canonical_invalid[1], 200)) as message,
        array_to_string(canonical_invalid, ' ') as detail
    from content where len(canonical_invalid) > 0
    union all
    select url, url_key, 'canonical_relative',
        format(_('The canonical "{}" is a relative URL'), left(canonical_relative[1], 200)),
        array_to_string(canonical_relative, ' ')
    from content where len(canonical_relative) > 0
    union all
    select url, url_key, 'canonical_to_root',
        _('The canonical points to the home page instead of an equivalent page of content'),
        canonical
    from content where canonical_to_root
    union all
    select url, url_key, 'canonical_to_alternate',
        _('The canonical points to another hreflang alternate (another language or region)'),
        canonical
    from content where canonical_to_alternate
),

hreflang_entries as (
    select
        url, url_key, h.lang, h.url as alt_url, h.url_key as alt_url_key, h.valid, h.href_issue
    from (select url, url_key, unnest(hreflang) as h from content)
),

hreflang_hrefs as (
    select
        url,
        url_key,
        case href_issue when 'missing' then 'hreflang_href_missing'
            else 'hreflang_href_relative' end as "check",
        case href_issue
            when 'missing'
                then format(_('The hreflang "{}" alternate has no href'), left(lang, 40))
            else format(_('The hreflang "{}" alternate has a relative href'), left(lang, 40))
        end as message,
        nullif(alt_url, '') as detail
    from hreflang_entries
    where href_issue in ('missing', 'relative')
),

hreflang_invalid as (
    select
        url,
        url_key,
        'hreflang_invalid' as "check",
        format(_('hreflang code "{}" is not a valid language(-region) code'), left(lang, 40))
            as message,
        alt_url as detail
    from hreflang_entries
    where not valid
),

page_keys as (
    -- every key a crawled page answers to: its own and where it ended up
    select url_key, url_key as page_key from content
    union
    select url_key, final_url_key from content
),

alternates as (
    -- each (page, alternate page) pair where the alternate was crawled and is not the page
    select distinct e.url, e.url_key, e.alt_url, k.url_key as alt_key
    from hreflang_entries as e
    join page_keys as k on k.page_key = e.alt_url_key
    where k.url_key <> e.url_key
),

return_pairs as (
    select distinct a.url_key, a.alt_key
    from alternates as a
    join hreflang_entries as back on back.url_key = a.alt_key
    join page_keys as mine on mine.url_key = a.url_key and mine.page_key = back.alt_url_key
),

hreflang_no_return as (
    select
        a.url,
        a.url_key,
        'hreflang_no_return' as "check",
        _('An hreflang alternate does not link back to this page') as message,
        a.alt_url as detail
    from alternates as a
    anti join return_pairs as r on r.url_key = a.url_key and r.alt_key = a.alt_key
),

all_rows as (
    select * from canonical_elsewhere
    union all select * from canonical_conflicts
    union all select * from canonical_target_findings
    union all select * from canonical_mistakes
    union all select * from hreflang_invalid
    union all select * from hreflang_hrefs
    union all select * from hreflang_no_return
)

select url, url_key, "check", message, detail from all_rows
