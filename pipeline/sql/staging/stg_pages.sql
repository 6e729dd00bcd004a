-- stg_pages: one row per URL key per run, the crawled pages cleaned for the marts.
-- Inputs: pages ($run_id).
-- * a URL fetched twice in one run (a resumed crawl) keeps one row: the fetch that got an
--   answer, then the latest;
-- * rows loaded from feeds may lack fields (NULL); the facts built on them assume none are, so
--   flags become false and lists empty; a row without a final URL ended where it started.
with
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

cleaned as (
    select
        * exclude (copy_no) replace (
            coalesce(final_url, url) as final_url,
            coalesce(final_url_key, url_key) as final_url_key,
            coalesce(redirect_chain, []) as redirect_chain,
            coalesce(is_html, false) as is_html,
            coalesce(noindex, false) as noindex,
            coalesce(canonical_conflict, false) as canonical_conflict,
            coalesce(canonicals, []) as canonicals,
            coalesce(canonical_invalid, []) as canonical_invalid,
            coalesce(canonical_relative, []) as canonical_relative,
            coalesce(canonical_to_root, false) as canonical_to_root,
            coalesce(canonical_to_alternate, false) as canonical_to_alternate,
            coalesce(robots_blocked_agents, []) as robots_blocked_agents,
            coalesce(uncrawlable_anchors, []) as uncrawlable_anchors,
            coalesce(uncrawlable_anchor_count, 0) as uncrawlable_anchor_count,
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
)

select * from cleaned
