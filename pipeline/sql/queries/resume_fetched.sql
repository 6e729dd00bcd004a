-- resume_fetched: every URL a stored run already requested or reached, so a resumed crawl
-- never fetches (and stores) it again. grain: one row per URL. inputs: pages ($run_id).
select url from pages where run_id = $run_id
union
select final_url from pages where run_id = $run_id
