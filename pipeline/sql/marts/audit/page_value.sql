-- page_value: one row per crawled URL per run: how much fixing something on it is worth,
-- the weight report_top_fixes sums per fix. Inputs: page_facts, int_link_targets,
-- int_signal_landing ($run_id).
--
-- page_value = indexable_weight + link_weight + sitemap_weight + shared_weight, where
-- * indexable_weight = 1 for a page search engines may index, 0.25 for any other URL (an
--   error, a redirect, a noindex page still costs the links and visitors that reach it);
-- * link_weight = ln(1 + content_inlinks): distinct content pages (200, HTML, not a
--   redirect's twin) linking to the URL, redirects followed, self-links not counted; the
--   logarithm gives the 100th link less than the first (the home page ~ 5, a product
--   linked from two categories ~ 1.1);
-- * sitemap_weight = 0.5 when the shop lists the URL in its sitemap (it wants it found);
-- * shared_weight = ln(1 + shares): shares found by the signals step (archive captures aside)
--   of the URL as crawled or landing on it; a shared page leaks value when it breaks.
with
facts as (
    select * from page_facts where run_id = $run_id
),

content_sources as (
    select distinct url_key from facts where is_content
),

content_inlinks as (
    select t.target_key, count(distinct t.source_url_key) as content_inlinks
    from int_link_targets as t
    join content_sources as s on s.url_key = t.source_url_key
    where t.source_url_key <> t.target_key
    group by t.target_key
),

shares as (
    select url_key, count(*) as shares
    from (
        select item_id, source, crawled_key as url_key
        from int_signal_landing where kind <> 'capture' and crawled_key is not null
        union
        select item_id, source, landing_key as url_key
        from int_signal_landing where kind <> 'capture' and landing_key is not null
    )
    group by url_key
),

parts as (
    select
        f.run_id,
        f.url,
        f.url_key,
        f.section,
        f.indexable,
        coalesce(i.content_inlinks, 0) as content_inlinks,
        f.in_sitemap,
        cast(case when f.indexable then 1.0 else 0.25 end as double) as indexable_weight,
        ln(1 + coalesce(i.content_inlinks, 0)) as link_weight,
        cast(case when f.in_sitemap then 0.5 else 0 end as double) as sitemap_weight,
        ln(1 + coalesce(s.shares, 0)) as shared_weight
    from facts as f
    left join content_inlinks as i on i.target_key = f.url_key
    left join shares as s on s.url_key = f.url_key
),

valued as (
    select *, indexable_weight + link_weight + sitemap_weight + shared_weight as page_value
    from parts
)

select * from valued
