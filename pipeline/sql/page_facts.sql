-- page_facts: one row per crawled URL per run; the staging relation the other marts build on.
-- Inputs: pages, links, page_social, sitemap_urls (this run's rows only, via $run_id).
--
-- Rules worth knowing:
-- * a URL fetched twice in one run (a resumed crawl) keeps one row: the fetch that got an
--   answer, then the latest;
-- * a row's own URL is where it ended up (final_url_key); a redirected row is the content of
--   its final URL only when that URL was not also fetched as a row of its own, so no page
--   counts twice (is_content);
-- * indexable = is_content (200, HTML) and not noindex and canonical absent or == own URL;
-- * inlinks = distinct internal source pages linking to the URL, where a link to a URL that
--   redirected also counts for the URL it redirected to; self-links do not count;
-- * the start URL is the row the spider marked found_via = 'start' (is_start);
-- * depth = click depth: fewest internal links from the start URL (redirects cost no click),
--   computed here from the link graph because the crawler's own depth counts discovery
--   steps (a page first found in the sitemap has a small crawl depth however buried it is);
--   pages no link path reaches keep the crawler's depth (crawl_depth keeps it for all);
-- * section: home by path, then structured data types, og:type, then URL patterns.
with recursive
ranked_pages as (
    select
        *,
        row_number() over (
            partition by url_key
            order by (status is not null) desc, fetched_at desc nulls last
        ) as copy_no
    from pages
    where run_id = $run_id
),

run_pages as (
    -- rows loaded from feeds may lack fields (NULL); facts below assume none are NULL
    select
        * exclude (copy_no) replace (
            coalesce(final_url, url) as final_url,
            coalesce(final_url_key, url_key) as final_url_key,
            coalesce(redirect_chain, []) as redirect_chain,
            coalesce(is_html, false) as is_html,
            coalesce(noindex, false) as noindex,
            coalesce(canonical_conflict, false) as canonical_conflict,
            coalesce(canonicals, []) as canonicals,
            coalesce(hreflang, []) as hreflang,
            coalesce(h1, []) as h1,
            coalesce(images, 0) as images,
            coalesce(images_missing_alt, 0) as images_missing_alt,
            coalesce(images_missing_alt_src, []) as images_missing_alt_src,
            coalesce(structured_data_types, []) as structured_data_types,
            coalesce(structured_data_errors, []) as structured_data_errors
        )
    from ranked_pages
    where copy_no = 1
),

internal_links as (
    select distinct source_url_key, target_url_key
    from links
    where run_id = $run_id and internal
),

redirected as (
    select url_key, final_url_key from run_pages where final_url_key <> url_key
),

link_targets as materialized (
    -- union all, not union: the distinct count below removes the (rare) duplicates
    select source_url_key, target_url_key as target_key from internal_links
    union all
    select l.source_url_key, r.final_url_key as target_key
    from internal_links as l
    join redirected as r on r.url_key = l.target_url_key
),

inlink_counts as (
    select target_key, count(distinct source_url_key) as inlinks
    from link_targets
    where source_url_key <> target_key
    group by target_key
),

start_keys as (
    select url_key from run_pages where found_via = 'start'
    union
    select final_url_key from run_pages where found_via = 'start'
),

click_depths(url_key, click_depth) using key (url_key) as (
    -- breadth first: a key's row is replaced only by a shorter path
    select url_key, 0 from start_keys
    union
    (
        select t.target_key, min(d.click_depth + 1)
        from click_depths as d
        join link_targets as t on t.source_url_key = d.url_key
        left join recurring.click_depths as seen on seen.url_key = t.target_key
        where seen.click_depth is null or d.click_depth + 1 < seen.click_depth
        group by t.target_key
    )
),

sitemap_keys as (
    select distinct url_key from sitemap_urls where run_id = $run_id
),

social_og_type as (
    select distinct on (url_key)
        url_key,
        lower(trim(list_filter(og, lambda m: m.property = 'og:type')[1].content)) as og_type
    from page_social
    where run_id = $run_id
),

enriched as (
    select
        p.*,
        coalesce(nullif(regexp_extract(p.url_key, '^[A-Za-z]+://[^/?#]+(/[^?#]*)', 1), ''), '/')
            as path,
        list_transform(
            p.structured_data_types, lambda t: regexp_replace(t, '^.*[/#:]', '')
        ) as sd_types,
        s.og_type,
        len(p.redirect_chain) as redirect_hops,
        coalesce(c.click_depth, p.depth) as click_or_crawl_depth,
        coalesce(p.status = 200 and p.is_html and fetched_target.url_key is null, false)
            as is_content,
        own_sitemap.url_key is not null or final_sitemap.url_key is not null as in_sitemap
    from run_pages as p
    left join social_og_type as s on s.url_key = p.url_key
    left join click_depths as c on c.url_key = p.url_key
    left join run_pages as fetched_target
        on fetched_target.url_key = p.final_url_key and p.final_url_key <> p.url_key
    left join sitemap_keys as own_sitemap on own_sitemap.url_key = p.url_key
    left join sitemap_keys as final_sitemap on final_sitemap.url_key = p.final_url_key
),

facts as (
    select
        cast($run_id as varchar) as run_id,
        e.url,
        e.url_key,
        e.final_url,
        e.final_url_key,
        e.status,
        e.error,
        e.error_kind,
        e.is_html,
        e.content_type,
        e.found_via,
        coalesce(e.found_via = 'start', false) as is_start,
        e.redirect_hops,
        e.is_content,
        (
            e.is_content
            and not e.noindex
            and (e.canonical_key is null or e.canonical_key = e.final_url_key)
        ) as indexable,
        e.noindex,
        e.canonical,
        e.canonical_key,
        e.canonical_conflict,
        e.canonicals,
        e.hreflang,
        case
            when e.path = '/' then 'home'
            when list_has_any(e.sd_types, ['Product', 'ProductGroup', 'IndividualProduct'])
                or e.og_type in ('product', 'og:product', 'product.item', 'product.group')
                then 'product'
            when list_has_any(
                e.sd_types, ['Article', 'BlogPosting', 'NewsArticle', 'TechArticle', 'Blog']
            )
                or e.og_type = 'article'
                then 'article'
            when list_has_any(e.sd_types, ['CollectionPage', 'OfferCatalog', 'ItemList'])
                then 'category'
            when regexp_matches(e.path, '(?i)/(products?|p|items?|produkt|produkter|vare)/[^/]+')
                then 'product'
            -- listing roots without a slug (/blog, /collections) stay 'other'
            when regexp_matches(
                e.path,
                '(?i)/((blog|news|articles?|journal|magazine|guides?|stories)/[^/]+'
                || '|blogs/[^/]+/[^/]+)'
            )
                then 'article'
            when regexp_matches(
                e.path, '(?i)/(collections?|categor(y|ies)|c|shop|catalog|kategori(er)?)/[^/]+'
            )
                then 'category'
            else 'other'
        end as section,
        e.click_or_crawl_depth as depth,
        e.depth as crawl_depth,
        coalesce(i.inlinks, 0) as inlinks,
        e.in_sitemap,
        e.title,
        length(e.title) as title_length,
        e.title_count,
        e.meta_description,
        length(e.meta_description) as description_length,
        e.meta_description_count,
        len(e.h1) as h1_count,
        e.lang,
        e.word_count,
        e.images,
        e.images_missing_alt,
        e.images_missing_alt_src,
        e.structured_data_types,
        e.structured_data_errors,
        e.response_ms,
        e.size_bytes
    from enriched as e
    left join inlink_counts as i on i.target_key = e.url_key
)

select * from facts
