-- findings_crawl: one row per problem of the crawl itself in a run: a spider trap the crawl
-- stopped following, a robots.txt that answered 5xx or could not be fetched.
-- Inputs: crawl_traps, robots_txt ($run_id). Output columns (url, url_key, check, message,
-- detail), the shape every findings_* step shares.
with
traps as (
    select
        example_url as url,
        example_url_key as url_key,
        'crawl_trap' as "check",
        case kind
            when 'query' then format(
                _('Links carry a parameter "{}" whose values change nothing: {} URLs with it '
                    || 'were fetched, {} of them with nothing new; later links were followed '
                    || 'without it'), pattern, urls, repeats
            )
            else format(
                _('URLs matching {} keep coming without new content: {} were fetched, {} of '
                    || 'them with nothing new; later ones were not followed'),
                pattern, urls, repeats
            )
        end as message,
        pattern as detail
    from crawl_traps
    where run_id = $run_id
),

robots_errors as (
    select
        url,
        url_key,
        'robots_unavailable' as "check",
        case
            when status is not null then format(
                _('robots.txt answered HTTP {} (after retries): RFC 9309 reads that as "crawl '
                    || 'nothing", so nothing on {} was crawled'), status, host
            )
            else format(
                _('robots.txt could not be fetched ({}): RFC 9309 reads that as "crawl '
                    || 'nothing", so nothing on {} was crawled'),
                coalesce(error, _('no answer')), host
            )
        end as message,
        error as detail
    from robots_txt
    where run_id = $run_id and rules = 'disallow-all'
),

all_rows as (
    select * from traps
    union all select * from robots_errors
)

select url, url_key, "check", message, detail from all_rows
