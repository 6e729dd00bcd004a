-- findings_links: one row per link, robots, sitemap or depth finding in a run.
-- Inputs: page_facts, links, sitemap_urls ($run_id). A broken internal link is reported on the
-- page that carries it (one row per source page and broken target, detail = the target URL).
-- "Linked" follows redirects: a link to a URL that redirects to X counts as a link to X, and
-- the start page is never an orphan.
with
facts as (
    select * from page_facts where run_id = $run_id
),

internal_links as (
    select source_url_key, target_url_key
    from links
    where run_id = $run_id and internal and source_url_key <> target_url_key
),

broken_targets as (
    select *
    from facts
    -- 429/503: the server refused the crawler (status_refused), the target is not known broken
    where (status >= 400 and status not in (429, 503))
        or (status is null and error_kind is distinct from 'robots')
),

broken_pairs as (
    select distinct l.source_url_key, l.target_url_key
    from internal_links as l
    semi join broken_targets as t on t.url_key = l.target_url_key
),

broken_links as (
    select
        coalesce(src.url, l.source_url_key) as url,
        l.source_url_key as url_key,
        'broken_internal_link' as "check",
        case
            when dst.status is null then _('Links to a URL that could not be fetched')
            when dst.redirect_hops > 0
                then format(_('Links to a URL that redirects to an HTTP {} error'), dst.status)
            else format(_('Links to a URL that answers HTTP {}'), dst.status)
        end as message,
        dst.url as detail
    from broken_pairs as l
    join broken_targets as dst on dst.url_key = l.target_url_key
    left join facts as src on src.url_key = l.source_url_key
),

noindex_linked as (
    select
        url,
        url_key,
        'noindex_linked' as "check",
        format(_('Marked noindex but linked from {} internal pages'), inlinks) as message,
        null as detail
    from facts
    where is_content and noindex and inlinks > 0
),

noindex_in_sitemap as (
    select
        url,
        url_key,
        'noindex_in_sitemap' as "check",
        _('Marked noindex but listed in the sitemap') as message,
        null as detail
    from facts
    where is_content and noindex and in_sitemap
),

sitemap_entries as (
    select url_key, min(url) as url, min(sitemap_url) as sitemap_url
    from sitemap_urls
    where run_id = $run_id
    group by url_key
),

linked_keys as (
    -- page_facts.inlinks already follows redirects; raw links cover URLs never crawled
    select url_key from facts where inlinks > 0
    union all
    select final_url_key from facts where inlinks > 0
    union all
    select target_url_key from internal_links
    union all
    select url_key from facts where is_start
    union all
    select final_url_key from facts where is_start
),

sitemap_orphans as (
    select
        s.url,
        s.url_key,
        'sitemap_orphan' as "check",
        _('Listed in the sitemap but no crawled page links to it') as message,
        s.sitemap_url as detail
    from sitemap_entries as s
    anti join linked_keys as k on k.url_key = s.url_key
),

sitemap_not_ok as (
    select
        f.url,
        f.url_key,
        'sitemap_not_ok' as "check",
        case
            when f.status is null then _('Listed in the sitemap but could not be fetched')
            when f.redirect_hops > 0
                then format(
                    _('Listed in the sitemap but redirects (final answer HTTP {})'), f.status
                )
            else format(_('Listed in the sitemap but answers HTTP {}'), f.status)
        end as message,
        s.sitemap_url as detail
    from sitemap_entries as s
    join facts as f on f.url_key = s.url_key
    where (f.status is distinct from 200 or f.redirect_hops > 0)
        and f.error_kind is distinct from 'robots'
),

deep_pages as (
    select
        url,
        url_key,
        'deep_page' as "check",
        format(_('Page is {} clicks from the start page (over 4)'), depth) as message,
        null as detail
    from facts
    where is_content and depth > 4
),

all_rows as (
    select * from broken_links
    union all select * from noindex_linked
    union all select * from noindex_in_sitemap
    union all select * from sitemap_orphans
    union all select * from sitemap_not_ok
    union all select * from deep_pages
)

select url, url_key, "check", message, detail from all_rows
