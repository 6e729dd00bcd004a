-- int_page_share_meta: one row per URL key with social facts in a run: what a platform reads
-- when the page is shared (the first non-blank og:* and twitter:* contents) and whether the
-- page offers a way to share it. Inputs: page_social ($run_id).
-- page_levels and findings_social both read it, so both judge a page by the same tags.
-- og_image takes og:image, then og:image:url, then og:image:secure_url (the og:image probe of
-- unsilo.spiders.og_images picks the same); twitter falls back to nothing here: the readers
-- decide where X falls back to og:*.
with
social as (
    select distinct on (url_key) *
    from page_social
    where run_id = $run_id
),

share_meta as (
    select
        url_key,
        og_url_key,
        meta_content(coalesce(og, []), ['og:title']) as og_title,
        meta_content(coalesce(og, []), ['og:type']) as og_type,
        meta_content(coalesce(og, []), ['og:image', 'og:image:url', 'og:image:secure_url'])
            as og_image,
        meta_content(coalesce(og, []), ['og:url']) as og_url,
        meta_content(coalesce(og, []), ['og:description']) as og_description,
        meta_content(coalesce(twitter, []), ['twitter:card']) as tw_card,
        meta_content(coalesce(twitter, []), ['twitter:title']) as tw_title,
        meta_content(coalesce(twitter, []), ['twitter:description']) as tw_description,
        meta_content(coalesce(twitter, []), ['twitter:image', 'twitter:image:src']) as tw_image,
        coalesce(len(share_links), 0) > 0
            or coalesce(len(share_widgets), 0) > 0
            or coalesce(web_share_api, false) as share_affordance
    from social
)

select * from share_meta
