-- findings_status: one row per status, redirect or crawl finding of a crawled URL in a run.
-- Inputs: page_facts, robots_txt ($run_id). Output columns (url, url_key, check, message, detail) are
-- the shape every findings_* step shares; `findings` adds run_id and the catalogue.
--
-- The spider records a request robots.txt refused as a page with status NULL and
-- error_kind 'robots'. Refused *start* URL = the audit saw nothing: that is unsilo's
-- crawler being blocked, which says nothing about whether search engines are.
with
facts as (
    select * from page_facts where run_id = $run_id
),

unreadable_robots as (
    select host
    from robots_txt
    where run_id = $run_id and rules = 'disallow-all'
),

robots_refused as (
    select *, is_start as blocked_start
    from facts
    where
        status is null and error_kind = 'robots'
        -- a robots.txt that failed (5xx, unreachable) is findings_crawl's robots_unavailable
        and not exists (
            select 1 from unreadable_robots as r
            where starts_with(lower(facts.url), lower(r.host) || '/')
        )
),

crawl_blocked as (
    select
        url,
        url_key,
        case when blocked_start then 'crawl_blocked_by_robots' else 'robots_blocked_url' end
            as "check",
        case
            when blocked_start
                then _('unsilo''s crawler was blocked by this site''s robots.txt, so the audit '
                    || 'could not see the site''s pages. This is about unsilo''s crawler only: '
                    || 'it does not mean search engines are blocked.')
            else _('robots.txt does not allow unsilo''s crawler to fetch this URL, so it was '
                || 'not audited.')
        end as message,
        error as detail
    from robots_refused
),

start_not_html as (
    select
        url,
        url_key,
        'start_not_html' as "check",
        format(
            _('The start URL answered {} with content type {}, not an HTML page'),
            status, coalesce(content_type, _('unknown'))
        ) as message,
        final_url as detail
    from facts
    where is_start and status is not null and status < 400 and not is_html
),

fetch_errors as (
    select
        url,
        url_key,
        'fetch_error' as "check",
        _('The URL could not be fetched (timeout, DNS failure, refused or reset connection)')
            as message,
        error as detail
    from facts
    where status is null and error_kind is distinct from 'robots'
),

error_statuses as (
    select
        url,
        url_key,
        case
            when status in (429, 503) then 'status_refused'
            when status >= 500 then 'status_5xx'
            else 'status_4xx'
        end as "check",
        case
            when status in (429, 503)
                then format(
                    _('The server answered HTTP {} to unsilo''s crawler (too many requests or '
                        || 'temporarily unavailable), also after waiting as it asked: it '
                        || 'refused the crawler, which says nothing about whether the page '
                        || 'exists'),
                    status
                )
            else format(_('The URL answers HTTP {}'), status)
        end as message,
        null as detail
    from facts
    where status >= 400 and redirect_hops = 0
),

bad_scheme_redirects as (
    select
        url,
        url_key,
        'redirect_bad_scheme' as "check",
        format(
            _('Answers HTTP {} with a redirect to a {}: URL, which browsers and crawlers will '
                || 'not follow (unsilo did not fetch it)'),
            status, lower(coalesce(regexp_extract(location, '^\s*([A-Za-z][A-Za-z0-9+.-]*):', 1), '?'))
        ) as message,
        location as detail
    from facts
    where location is not null and status between 300 and 399
),

redirect_chains as (
    select
        url,
        url_key,
        'redirect_chain' as "check",
        format(
            _('Redirects {} times before reaching the final URL (more than 1 hop)'), redirect_hops
        )
            as message,
        final_url as detail
    from facts
    where redirect_hops > 1
),

broken_redirects as (
    select
        url,
        url_key,
        'redirect_broken' as "check",
        format(_('Redirects to a URL that answers HTTP {}'), status) as message,
        final_url as detail
    from facts
    where redirect_hops > 0 and status >= 400
),

all_rows as (
    select * from crawl_blocked
    union all select * from start_not_html
    union all select * from fetch_errors
    union all select * from error_statuses
    union all select * from redirect_chains
    union all select * from broken_redirects
    union all select * from bad_scheme_redirects
)

select url, url_key, "check", message, detail from all_rows
