-- page_facts: one row per crawled URL per run; the relation the other marts build on.
-- Inputs: stg_pages, stg_page_og_types, stg_sitemap_keys, int_inlinks, int_click_depths
-- ($run_id); the steps say how duplicates, links and click depths are counted.
--
-- Rules worth knowing:
-- * a row's own URL is where it ended up (final_url_key); a redirected row is the content of
--   its final URL only when that URL was not also fetched as a row of its own, so no page
--   counts twice (is_content);
-- * indexable = is_content (200, HTML) and not noindex and canonical absent or == own URL;
-- * inlinks = distinct internal source pages linking to the URL (int_inlinks);
--   editorial_inlinks = those that link from their own content, not their navigation;
-- * the start URL is the row the spider marked found_via = 'start' (is_start);
-- * depth = click depth (int_click_depths); pages no link path reaches keep the crawler's
--   depth (crawl_depth keeps it for all);
-- * section: the page_section macro (home by path, then structured data types, og:type, then
--   URL patterns).
with
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
    from stg_pages as p
    left join stg_page_og_types as s on s.url_key = p.url_key
    left join int_click_depths as c on c.url_key = p.url_key
    left join stg_pages as fetched_target
        on fetched_target.url_key = p.final_url_key and p.final_url_key <> p.url_key
    left join stg_sitemap_keys as own_sitemap on own_sitemap.url_key = p.url_key
    left join stg_sitemap_keys as final_sitemap on final_sitemap.url_key = p.final_url_key
),

facts as (
    select
        cast($run_id as varchar) as run_id,
        e.url,
        e.url_key,
        e.final_url,
        e.final_url_key,
        e.final_url_domain,
        e.status,
        e.error,
        e.error_kind,
        e.is_html,
        e.content_type,
        e.location,
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
        e.canonical_invalid,
        e.canonical_relative,
        e.canonical_to_root,
        e.canonical_to_alternate,
        e.robots_blocked_agents,
        e.unavailable_after,
        e.hreflang,
        e.uncrawlable_anchors,
        e.uncrawlable_anchor_count,
        page_section(e.path, e.sd_types, e.og_type) as section,
        e.click_or_crawl_depth as depth,
        e.depth as crawl_depth,
        coalesce(i.inlinks, 0) as inlinks,
        coalesce(i.editorial_inlinks, 0) as editorial_inlinks,
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
    left join int_inlinks as i on i.target_key = e.url_key
)

select * from facts
