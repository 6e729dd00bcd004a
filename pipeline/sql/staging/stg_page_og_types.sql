-- stg_page_og_types: one row per URL key with social facts in a run: its og:type, lower case
-- (NULL when absent). Inputs: page_social ($run_id). Feeds the section rule.
with
og_types as (
    select distinct on (url_key)
        url_key,
        lower(trim(list_filter(og, lambda m: m.property = 'og:type')[1].content)) as og_type
    from page_social
    where run_id = $run_id
)

select * from og_types
