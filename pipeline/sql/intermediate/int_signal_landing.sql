-- int_signal_landing: each distinct share (stg_url_signals) with the crawled row it names and
-- the page it lands on now.
-- Inputs: stg_url_signals, page_facts ($run_id).
--
-- * named row (crawled_key): the crawled URL with the share's key, else one with the same
--   loose_key (scheme and www. aside); NULL when the crawl never reached the shared URL;
-- * landing row (landing_key): the content row for the named row's final URL (through the
--   shop's redirects), then, when that page declares another crawled page canonical, that one
--   — so a share of an old URL credits the page it resolves to today.
with
crawled as (
    select url_key, loose_key(url_key) as loose_key, final_url_key, canonical_key, is_content
    from page_facts
    where run_id = $run_id
),

loose as (
    select distinct on (loose_key) loose_key, url_key
    from crawled
    order by loose_key, url_key
),

-- the row whose content a final URL shows: the row fetched at that URL, else a redirected row
-- standing for it (page_facts.is_content keeps exactly one)
content as (
    select distinct on (final_url_key) final_url_key, url_key, canonical_key
    from crawled
    where is_content
    order by final_url_key, url_key
),

named as (
    select s.*, coalesce(e.url_key, l.url_key) as crawled_key
    from stg_url_signals as s
    left join crawled as e on e.url_key = s.url_key
    left join loose as l on l.loose_key = s.loose_key
),

landed as (
    select
        n.*,
        c.final_url_key as crawled_final_key,
        coalesce(canon.url_key, content.url_key) as landing_key,
        case
            when n.crawled_key is null then 'not crawled'
            when canon.url_key is not null and canon.url_key <> content.url_key then 'canonical'
            when content.url_key is not null and content.url_key <> n.crawled_key then 'redirect'
            when n.crawled_key <> n.url_key then 'variant'
            else 'direct'
        end as landed_via
    from named as n
    left join crawled as c on c.url_key = n.crawled_key
    left join content on content.final_url_key = c.final_url_key
    left join content as canon
        on canon.final_url_key = content.canonical_key
        and content.canonical_key <> content.final_url_key
)

select * from landed
