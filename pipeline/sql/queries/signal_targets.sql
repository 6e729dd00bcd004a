-- signal_targets: the run's indexable pages, most valuable first: the pages a per-URL signal
-- source asks about, in order, until its budget is spent. Inputs: page_facts ($run_id).
-- Value here is what the crawl knows before any signal: the start page, then the pages the
-- shop links most (internal links in), listed in the sitemap, shallow, newest sitemap date.
with
candidates as (
    select url, is_start, inlinks, in_sitemap, depth
    from page_facts
    where run_id = $run_id and indexable
)

select url
from candidates
order by is_start desc, inlinks desc, in_sitemap desc, depth asc nulls last, url
