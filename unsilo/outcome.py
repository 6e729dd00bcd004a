"""Decide how a run ended: ``complete``, ``partial`` or ``failed``, with a reason a person reads.

The crawl's own finish reason says whether it was interrupted; the stored start page says
whether the shop could be seen at all (unreachable, blocked by robots.txt, not HTML).
"""

from __future__ import annotations

import duckdb

from unsilo.fetch_errors import ROBOTS_BLOCKED
from unsilo.pipeline.queries import run_sql
from unsilo.pipeline.store import run_outcome


def judge_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    finish_reason: str | None,
    rows_not_stored: int = 0,
) -> tuple[str, str | None]:
    """Return ``(status, reason)`` for a crawl that has stopped."""
    status, reason = _judge_crawl(con, run_id, finish_reason)
    if rows_not_stored and status == "complete":
        return "partial", (
            f"{rows_not_stored} rows could not be stored in the database; they are kept as "
            "feed files in unsilo-rescue/ next to it"
        )
    return status, reason


def _judge_crawl(
    con: duckdb.DuckDBPyConnection, run_id: str, finish_reason: str | None
) -> tuple[str, str | None]:
    row = run_sql(con, "run_start_page", run_id=run_id).fetchone()
    if row is None:
        if finish_reason == "shutdown":
            return "partial", "interrupted before the start URL was fetched"
        return "failed", "the start URL was never fetched"
    _url, final_url, status, error, is_html, content_type, ok_html = row
    if error:
        if error.startswith(ROBOTS_BLOCKED):
            return "failed", (
                f"unsilo's crawler was blocked by the shop's robots.txt ({error}); "
                "this says nothing about search engines, which robots.txt may still allow"
            )
        return "failed", f"could not fetch the start URL: {error}"
    if status is not None and status >= 400:
        return "failed", f"the start URL answered HTTP {status}"
    if not is_html:
        return (
            "failed",
            f"the start URL is not an HTML page (content type {content_type or 'unknown'})",
        )
    if finish_reason == "shutdown":
        return "partial", "interrupted (Ctrl-C or SIGTERM); pages fetched so far are kept"
    status, reason = run_outcome(finish_reason or "finished")  # limits, early stops
    if status != "complete" or reason:
        return status, reason
    if not ok_html:
        return "failed", f"no HTML page could be read (start URL ended at {final_url})"
    return "complete", None
