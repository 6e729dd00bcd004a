-- resume_described: the final URLs whose content a stored run already described, so a
-- resumed crawl that reaches one again (a redirect, a tracking-parameter twin) stores the
-- fetch but not the page's links and social facts a second time.
-- grain: one row per final URL key. inputs: pages ($run_id). Only fetched pages count
-- (status not null): a failed fetch described nothing.
select distinct final_url_key
from pages
where run_id = $run_id and status is not null
