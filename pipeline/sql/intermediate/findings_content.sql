-- findings_content: one row per on-page content finding (titles, descriptions, headings,
-- images, lang, structured data) of an HTML page that answered 200 in a run.
-- Inputs: page_facts ($run_id). Duplicates are counted among indexable pages only, so URL
-- variants that canonicalise elsewhere do not show up as duplicates of their canonical page.
-- Thresholds: title 30-60 characters, meta description up to 160.
with
facts as (
    select * from page_facts where run_id = $run_id and is_content
),

cleaned as (
    select
        *,
        nullif(trim(title), '') as clean_title,
        nullif(trim(meta_description), '') as clean_description
    from facts
),

duplicate_counts as (
    select
        *,
        case when indexable and clean_title is not null
            then count(*) over (partition by indexable, lower(clean_title)) end as title_uses,
        case when indexable and clean_description is not null
            then count(*) over (partition by indexable, lower(clean_description))
        end as description_uses
    from cleaned
),

title_findings as (
    select url, url_key, 'title_missing' as "check",
        _('The page has no title') as message, null as detail
    from cleaned where clean_title is null
    union all
    select url, url_key, 'title_too_long',
        format(_('Title is {} characters (over 60)'), length(clean_title)), clean_title
    from cleaned where length(clean_title) > 60
    union all
    select url, url_key, 'title_too_short',
        format(_('Title is {} characters (under 30)'), length(clean_title)), clean_title
    from cleaned where length(clean_title) < 30
    union all
    select url, url_key, 'title_duplicate',
        format(_('Title is shared with {} other indexable pages'), title_uses - 1), clean_title
    from duplicate_counts where title_uses > 1
),

description_findings as (
    select url, url_key, 'description_missing' as "check",
        _('The page has no meta description') as message, null as detail
    from cleaned where clean_description is null
    union all
    select url, url_key, 'description_too_long',
        format(_('Meta description is {} characters (over 160)'), length(clean_description)),
        clean_description
    from cleaned where length(clean_description) > 160
    union all
    select url, url_key, 'description_duplicate',
        format(
            _('Meta description is shared with {} other indexable pages'), description_uses - 1
        ),
        clean_description
    from duplicate_counts where description_uses > 1
),

other_findings as (
    select url, url_key, 'h1_missing' as "check",
        _('The page has no h1 heading') as message, null as detail
    from cleaned where h1_count = 0
    union all
    select url, url_key, 'h1_multiple', format(_('The page has {} h1 headings'), h1_count), null
    from cleaned where h1_count > 1
    union all
    select url, url_key, 'images_missing_alt',
        format(_('{} of {} images have no alt text'), images_missing_alt, images),
        nullif(array_to_string(images_missing_alt_src, ' '), '')
    from cleaned where images_missing_alt > 0
    union all
    select url, url_key, 'lang_missing', _('The <html> element has no lang attribute'), null
    from cleaned where nullif(trim(lang), '') is null
),

structured_data_errors as (
    select url, url_key, 'structured_data_error' as "check",
        _('Structured data on this page has an error') as message, error as detail
    from (select url, url_key, unnest(structured_data_errors) as error from cleaned)
),

all_rows as (
    select * from title_findings
    union all select * from description_findings
    union all select * from other_findings
    union all select * from structured_data_errors
)

select url, url_key, "check", message, detail from all_rows
