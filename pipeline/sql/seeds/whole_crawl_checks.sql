-- whole_crawl_checks: one row per finding check that is true only of a crawl that saw the
-- whole shop. A crawl stopped by a limit or an interruption (runs.crawl_whole false) did not
-- fetch every page, so "no page links to it" or "the alternate does not link back" may only
-- mean the linking page was never fetched: `findings` drops these checks for such a run and
-- the report names them (report_suppressed_checks). A new check of that kind is one row here.
-- Inputs: none (a VALUES table).
with
checks ("check", needs) as (
    values
    ('sitemap_orphan', 'every page that could link to a sitemap URL'),
    ('hreflang_no_return', 'every language version, to see its links back'),
    ('deep_page', 'the shortest click path, which may run through pages not fetched')
)

select cast("check" as varchar) as "check", cast(needs as varchar) as needs from checks
