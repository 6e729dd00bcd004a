-- report_suppressed_checks: one row per check the reported run ($run_id) did not run
-- because its crawl did not see the whole shop (runs.crawl_whole false), with what the check
-- needs; no rows for a whole crawl. Inputs: runs, whole_crawl_checks, check_catalogue.
select w."check", coalesce(c.summary, w."check") as summary, w.needs
from whole_crawl_checks as w
left join check_catalogue as c on c."check" = w."check"
where exists (
    select 1 from runs where run_id = $run_id and not coalesce(crawl_whole, status = 'complete')
)
order by w."check"
