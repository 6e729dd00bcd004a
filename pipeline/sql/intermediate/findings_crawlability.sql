-- findings_crawlability: one row per crawlability finding in a run: pages blocked from
-- indexing (for every crawler, or for some search bots), links search engines cannot follow
-- or read, and the site's robots.txt.
-- Inputs: page_facts, links, robots_txt ($run_id). The facts were judged at extraction, as
-- Lighthouse's audits judge them (is-crawlable: robots_blocked_agents, where 'robots' means
-- every crawler; crawlable-anchors: uncrawlable_anchors; link-text: links.generic_text;
-- robots-txt: robots_txt.errors); this step only words them. A robots.txt finding is
-- reported on the robots.txt URL; a 4xx robots.txt means there is none, which is fine.
with
content as (
    select * from page_facts where run_id = $run_id and is_content
),

blocked as (
    select
        url,
        url_key,
        'blocked_from_indexing' as "check",
        _('The page tells every search engine not to index it (noindex, none, or an '
            || 'unavailable_after date that had passed when it was fetched)') as message,
        case when unavailable_after is not null
            then 'unavailable_after ' || unavailable_after end as detail
    from content
    where list_contains(robots_blocked_agents, 'robots')
),

bot_blocked as (
    select
        url,
        url_key,
        'blocked_for_search_bots' as "check",
        format(_('The page tells {} not to index it'), array_to_string(robots_blocked_agents, ', '))
            as message,
        array_to_string(robots_blocked_agents, ' ') as detail
    from content
    where len(robots_blocked_agents) > 0 and not list_contains(robots_blocked_agents, 'robots')
),

uncrawlable as (
    select
        url,
        url_key,
        'uncrawlable_anchors' as "check",
        case
            when uncrawlable_anchor_count = 1
                then _('A link has no crawlable href (no href, javascript:void(0), file: or '
                    || 'an invalid URL)')
            else format(
                _('{} links have no crawlable href (no href, javascript:void(0), file: or '
                    || 'an invalid URL)'),
                uncrawlable_anchor_count
            )
        end as message,
        array_to_string(
            list_transform(
                list_filter(uncrawlable_anchors, lambda a: a.fails_audit),
                lambda a: coalesce(
                    a.href, '(no href' || coalesce(': ' || nullif(a.text, ''), '') || ')'
                )
            ),
            ' '
        ) as detail
    from content
    where uncrawlable_anchor_count > 0
),

generic_links as (
    select
        source_url_key,
        count(*) as generic,
        list(distinct anchor order by anchor) as texts
    from links
    where run_id = $run_id and generic_text
    group by source_url_key
),

generic_text as (
    select
        c.url,
        c.url_key,
        'link_text_generic' as "check",
        case
            when g.generic = 1 then _('A link has text that does not say where it goes')
            else format(_('{} links have text that does not say where it goes'), g.generic)
        end as message,
        array_to_string(list_transform(g.texts[:10], lambda t: '"' || t || '"'), ' ') as detail
    from generic_links as g
    join content as c on c.url_key = g.source_url_key
),

robots_files as (
    -- the shop's own robots.txt: the og:image probes' hosts have theirs, not the shop's to fix
    select distinct on (r.url_key) r.*
    from robots_txt as r
    join page_facts as p
        on p.run_id = $run_id and p.is_start
        and (
            starts_with(lower(p.url), lower(r.host) || '/')
            or starts_with(lower(coalesce(p.final_url, '')), lower(r.host) || '/')
        )
    where r.run_id = $run_id
    order by r.url_key, r.status nulls last
),

robots_findings as (
    select
        url,
        url_key,
        'robots_txt_invalid' as "check",
        case when errors = 1 then _('robots.txt has 1 error')
            else format(_('robots.txt has {} errors'), errors) end as message,
        array_to_string(
            list_transform(problems, lambda p: format('line {}: {} ({})', p.line, p.message, p.content)),
            '; '
        ) as detail
    from robots_files
    where status < 400 and errors > 0
    -- a robots.txt that answers 5xx or not at all is findings_crawl's robots_unavailable
),

all_rows as (
    select * from blocked
    union all select * from bot_blocked
    union all select * from uncrawlable
    union all select * from generic_text
    union all select * from robots_findings
)

select url, url_key, "check", message, detail from all_rows
