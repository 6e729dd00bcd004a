-- run_report_language: the report language a run was audited with ([output] language or
-- --lang, recorded in its settings), so `unsilo report` re-renders it in the same language.
-- Inputs: runs. Parameters: $run_id. No row (or NULL) when the run recorded none.
select json_extract_string(settings, '$.report_language') as report_language
from runs
where run_id = $run_id
