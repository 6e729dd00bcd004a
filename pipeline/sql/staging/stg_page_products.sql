-- stg_page_products: one row per product per page per run, as the extractor read it: a
-- schema.org Product from JSON-LD or microdata, or the page's product:* Open Graph (source
-- 'open-graph'). Inputs: page_products ($run_id).
-- * a page fetched twice in one run (a resumed crawl) keeps one row per (source, position);
-- * is_structured: JSON-LD or microdata, the markup Google's product rich results read;
-- * label names the product for people: 'JSON-LD product 2', 'microdata product 1' (from
--   source_label and position, which a finding's message names in its own marked pattern).
with
deduplicated as (
    select distinct on (url_key, source, position) *
    from page_products
    where run_id = $run_id
),

labelled as (
    select
        * replace (coalesce(offers, []) as offers, coalesce(reviews, 0) as reviews),
        source <> 'open-graph' as is_structured,
        case source when 'json-ld' then 'JSON-LD' else source end as source_label
    from deduplicated
),

named as (
    select *, format('{} product {}', source_label, position) as label
    from labelled
)

select * from named
