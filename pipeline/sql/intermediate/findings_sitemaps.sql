-- findings_sitemaps: one row per problem of a sitemap file a run tried to read.
-- Inputs: sitemaps ($run_id). The crawl records every sitemap file it tried with typed
-- problem codes (unsilo.extract.sitemaps; http_status and fetch_error for a file that never
-- arrived) and a reason for people, which becomes the detail. Each code belongs to one check.
-- A /sitemap.xml the crawl only guessed (robots.txt names no sitemap) that is missing or
-- unreachable is no finding: nothing says a shop keeps its sitemap there.
with
files as (
    select * from sitemaps where run_id = $run_id
),

problems as (
    select url, url_key, source, reason, unnest(problems) as problem
    from files
),

checked as (
    select
        url,
        url_key,
        case
            when problem in ('too_many_urls', 'too_large') then 'sitemap_too_large'
            when problem = 'mixed_entries' then 'sitemap_mixed_entries'
            when problem = 'over_download_limit' then 'sitemap_truncated'
            else 'sitemap_unreadable'
        end as "check",
        reason
    from problems
    where not (source = 'default' and problem in ('http_status', 'fetch_error'))
),

sitemap_findings as (
    select distinct on (url_key, "check")
        url,
        url_key,
        "check",
        case "check"
            when 'sitemap_too_large'
                then _('The sitemap is over the protocol''s limits (50,000 URLs, 50 MB '
                    || 'uncompressed); what lies beyond them was not read')
            when 'sitemap_mixed_entries'
                then _('The sitemap mixes page entries and sitemap entries; the misplaced '
                    || 'ones were ignored')
            when 'sitemap_truncated'
                then _('The sitemap is larger than unsilo reads (DOWNLOAD_MAXSIZE, after '
                    || 'decompression); only its first part was audited')
            else _('The sitemap could not be read, so its URLs were not audited')
        end as message,
        reason as detail
    from checked
    order by url_key, "check"
)

select * from sitemap_findings
