"""The run's judge: the one place that decides a run's status and reason.

Every entry point (``unsilo audit``/``crawl``, ``scrapy crawl shop`` with a database, a
Scrapyd job's feed brought in by ``unsilo load``) closes its run through this module, so the
same shop gets the same status and reason whichever way it was crawled:

* ``judge_run`` — ``complete``, ``partial`` or ``failed`` with a reason a person reads, from
  the crawl's own stats (how it ended) and the stored start page (could the shop be seen);
* ``finish_crawl_run`` — judge, then close the run's row;
* ``mark_stale_runs`` — close as ``partial`` the runs a dead process left ``running``.

Writing the row itself (start, reopen, finish with counts) is ``pipeline/run_rows.py``;
what the run was asked to do is ``pipeline/run_scope.py``. A run killed half way still
reports what survived once ``mark_stale_runs`` has closed it, and an interrupted run's reason
says how many linked URLs it never fetched (``unaccounted``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from unsilo.pipeline.db import database_path
from unsilo.pipeline.feeds import database_jobs_dir
from unsilo.pipeline.lock import is_held, read_holder
from unsilo.pipeline.queries import run_sql
from unsilo.pipeline.rescue import stored_everywhere
from unsilo.pipeline.resume import unaccounted
from unsilo.pipeline.run_rows import finish_run
from unsilo.pipeline.run_scope import stored_scope

STALE_REASON = "interrupted: the process stopped without finishing the run"


LIMIT_REASONS = {
    "closespider_pagecount": ("page limit", "max_pages", " pages"),
    "closespider_timeout": ("time limit", "time_limit_s", " s"),
    "closespider_itemcount": ("item limit", None, ""),
}
"""Scrapy close reasons that mean a configured limit stopped the crawl: (what, scope key, unit)."""

STEP_NAMES = {"social": "social profiles", "signals": "social signals"}
"""The follow-up spiders of an audit, as a run's reason names them."""

BAD_ARGUMENT = "bad argument: "
"""How a spider's close reason starts when it refused its ``-a`` arguments and asked nothing
(``unsilo.spider_arguments``): the run failed, whichever spider it was."""

HOST_DOWN = ("dns", "refused", "tls")
"""robots.txt error kinds that mean the host itself could not be reached."""

NO_STATS = "the crawl left no stats (killed or crashed): what was stored is kept"


def judge_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    stats: Mapping[str, Any] | None,
    *,
    steps: Mapping[str, tuple[str | None, str | None]] | None = None,
) -> tuple[str, str | None]:
    """Return ``(status, reason)`` for a crawl that has stopped: the one place that decides.

    ``stats`` are the crawl's own (Scrapy's stats dict, or a feed job's ``stats.json``):
    ``finish_reason`` says how it ended, ``unsilo/rows_not_stored`` what storage refused.
    The stored start page says whether the shop could be seen at all. A limit that stopped
    the crawl makes it ``partial``: the shop may hold more than was seen.
    """
    lost = _count(stats, "unsilo/rows_not_stored") + _count(stats, "unsilo/rows_lost")
    status, reason = _judge_crawl(con, run_id, stats, lost)
    if status != "failed":
        reason = _crawl_notes(con, run_id, reason)
    if (unstored := unstored_rows(stats)) and status != "failed":
        status, reason = "partial", _join(reason, unstored)
    for step, (finish_reason, error) in (steps or {}).items():
        what = STEP_NAMES.get(step, step)
        if status == "failed":
            break
        if error:
            reason = _join(reason, f"{what} not crawled: {error}")
        elif finish_reason not in (None, "finished"):
            # an audit whose profiles or signals were only partly read is not complete
            status = "partial"
            reason = _join(reason, f"the {what}' crawl stopped early: {finish_reason}")
    return status, reason


def unstored_rows(stats: Mapping[str, Any] | None) -> str | None:
    """What storage refused, for the run's reason and the command's error line; None if
    nothing. Rows kept (in the job or a rescue folder) and rows lost are told apart:

    >>> unstored_rows({"unsilo/rows_not_stored": 40, "unsilo/kept_in": "/tmp/r",
    ...                "unsilo/storage_error": "No space left on device", "unsilo/rows_lost": 2})
    '40 rows could not be stored in the database (No space left on device); they are kept in \
/tmp/r and stored when the run is resumed (--resume); 2 rows are lost: no folder had room \
for them'
    """
    kept, lost = _count(stats, "unsilo/rows_not_stored"), _count(stats, "unsilo/rows_lost")
    error = (stats or {}).get("unsilo/storage_error")
    parts = []
    if kept:
        parts.append(
            f"{kept} rows could not be stored in the database{f' ({error})' if error else ''}; "
            f"they are kept in {(stats or {}).get('unsilo/kept_in') or 'the run’s job folder'} "
            "and stored when the run is resumed (--resume)"
        )
    if lost:
        parts.append(f"{lost} rows are lost: no folder had room for them")
    return "; ".join(parts) or None


def _count(stats: Mapping[str, Any] | None, key: str) -> int:
    return int((stats or {}).get(key) or 0)


def finish_crawl_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    stats: Mapping[str, Any] | None,
    *,
    steps: Mapping[str, tuple[str | None, str | None]] | None = None,
) -> tuple[str, str | None]:
    """Judge the run and close it with that status; returns ``(status, reason)``.

    The shop crawl alone is judged too (without the follow-up ``steps``): a run made partial
    only by its signals step still saw every page, and whole-site checks may trust it.
    """
    status, reason = judge_run(con, run_id, stats, steps=steps)
    crawl_status = judge_run(con, run_id, stats)[0] if steps else status
    finish_run(con, run_id, status, reason, crawl_whole=crawl_status == "complete")
    return status, reason


def _judge_crawl(
    con: duckdb.DuckDBPyConnection, run_id: str, stats: Mapping[str, Any] | None, lost: int
) -> tuple[str, str | None]:
    finish_reason = (stats or {}).get("finish_reason")
    if str(finish_reason).startswith(BAD_ARGUMENT):  # asked nothing: not a partial answer
        return "failed", f"nothing asked: {finish_reason}"
    scope = stored_scope(con, run_id)
    only = {"social": "social profiles only", "signals": "social signals only"}
    if scope.get("spider") in only:  # a run of one step has no start page to judge
        if finish_reason is None:
            return "partial", NO_STATS
        if finish_reason != "finished":
            return "partial", f"crawl stopped early: {finish_reason}"
        return "complete", f"{only[scope['spider']]}: no shop pages in this run"
    row = run_sql(con, "run_start_page", run_id=run_id).fetchone()
    if row is None:
        if lost:  # the start page may be among the rows storage refused: not proven failed
            return "partial", "the start URL's page was not stored"
        if finish_reason is None:
            return "partial", f"{NO_STATS}; the start URL was not stored"
        if finish_reason == "shutdown":
            return "partial", "interrupted before the start URL was fetched"
        return "failed", "the start URL was never fetched"
    _url, final_url, http_status, error, error_kind, is_html, content_type, ok_html = row
    if error:
        if error_kind == "robots":
            if unreadable := _robots_unreadable(con, run_id):
                return "failed", unreadable
            return "failed", (
                f"unsilo's crawler was blocked by the shop's robots.txt ({error}); "
                "this says nothing about search engines, which robots.txt may still allow"
            )
        return "failed", f"could not fetch the start URL: {error}"
    if http_status is not None and http_status >= 400:
        return "failed", f"the start URL answered HTTP {http_status}"
    if not is_html:
        return (
            "failed",
            f"the start URL is not an HTML page (content type {content_type or 'unknown'})",
        )
    if finish_reason is None:
        return "partial", _join(NO_STATS, unaccounted(con, run_id))
    if finish_reason == "shutdown":
        interrupted = "interrupted (Ctrl-C or SIGTERM); pages fetched so far are kept"
        return "partial", _join(interrupted, unaccounted(con, run_id))
    if finish_reason in LIMIT_REASONS:
        return "partial", _limit_reason(scope, finish_reason)
    if finish_reason != "finished":
        return "partial", f"crawl stopped early: {finish_reason}"
    if not ok_html:
        return "failed", f"no HTML page could be read (start URL ended at {final_url})"
    too_deep = int((stats or {}).get("unsilo/depth_limit_skipped") or 0)
    if too_deep:
        depth = scope.get("max_depth")
        return "partial", (
            f"depth limit reached ({depth} clicks): {too_deep} links deeper were not followed; "
            "the shop may hold more than was crawled"
        )
    return "complete", None


def _robots_unreadable(con: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    """The reason when the start URL was refused because robots.txt failed (RFC 9309: a 5xx or
    no answer means "crawl nothing"), rather than because its rules forbid unsilo."""
    row = run_sql(con, "run_start_robots", run_id=run_id).fetchone()
    if row is None or row[1] != "disallow-all":
        return None
    status, _rules, error, error_kind = row
    if error_kind in HOST_DOWN:  # no connection at all: the shop is down, not its robots.txt
        return f"could not fetch the start URL: {error}"
    answer = f"answered HTTP {status}" if status is not None else f"could not be fetched ({error})"
    return (
        f"the shop's robots.txt {answer}, after retries; RFC 9309 reads that as "
        "'crawl nothing', so nothing was crawled (search engines stop too): make robots.txt "
        "answer 200, or 404 when there are no rules"
    )


def _crawl_notes(con: duckdb.DuckDBPyConnection, run_id: str, reason: str | None) -> str | None:
    """What a run that was not refused should say anyway: traps it stopped following, and
    whose robots.txt rules it obeyed when they were not unsilo's own."""
    traps = run_sql(con, "run_crawl_traps", run_id=run_id).fetchall()
    if traps:
        named = ", ".join(
            f"{'parameter ' if kind == 'query' else ''}{pattern} ({urls} URLs)"
            for kind, pattern, urls in traps
        )
        reason = _join(reason, f"crawl traps recognised and no longer followed: {named}")
    agent = stored_scope(con, run_id).get("robots_user_agent")
    if agent and str(agent).lower() != "unsilo":
        reason = _join(reason, f"robots.txt obeyed as user agent {agent}, not unsilo's own rules")
    return reason


def _limit_reason(scope: Mapping[str, Any], finish_reason: str) -> str:
    label, key, unit = LIMIT_REASONS[finish_reason]
    value = scope.get(key) if key else None
    amount = f" ({value:g}{unit})" if isinstance(value, int | float) else ""
    return f"{label} reached{amount}: the shop may hold more than was crawled"


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


def mark_stale_runs(con: duckdb.DuckDBPyConnection) -> int:
    """Close runs left ``running`` by a process that died; returns how many were closed.

    Call it holding the database lock, before ``start_run``. Which ``running`` rows are
    stale depends on the lock (``unsilo.pipeline.lock``):

    * nobody holds it: every ``running`` row is stale;
    * the holder named its run (``DatabaseLock.note_run``): every other row is stale;
    * this process holds it and named no run yet: every row is stale (ours is not started);
    * another live process holds it and named no run: nothing is touched, as its run
      cannot be told apart.

    An in-memory database cannot outlive its process, so nothing in it is ever stale.
    A stale run's batches still in its job folder (written, not yet stored: the crawl
    stores them when it ends) are stored first, so nothing it wrote is lost. Stale runs
    become ``partial`` with the counts of what was stored before they stopped,
    and a reason that says how many URLs their stored pages link to were never fetched
    (``unsilo.pipeline.resume.unfetched_links``): what a resume (``unsilo crawl --resume``)
    would fetch, e.g.
    "interrupted: the process stopped without finishing the run; 123 linked URLs were
    never fetched".
    """
    path = database_path(con)
    if path is None:
        return 0
    live_run = None
    if is_held(path):
        holder = read_holder(path)
        live_run = holder.get("run_id")
        if live_run is None and holder.get("pid") != os.getpid():
            return 0
    stale = [
        row[0]
        for row in con.execute(
            "select run_id from runs where status = 'running' and run_id is distinct from $live",
            {"live": live_run},
        ).fetchall()
    ]
    for run_id in stale:
        _store_left_batches(con, run_id, database_jobs_dir(path))
        finish_run(con, run_id, "partial", _join(STALE_REASON, unaccounted(con, run_id)))
    return len(stale)


def _store_left_batches(con: duckdb.DuckDBPyConnection, run_id: str, jobs_dir: Path) -> None:
    """Store what a dead crawl wrote but did not store; its own job folder then goes."""
    feed_dir = stored_scope(con, run_id).get("feed_dir")
    job = Path(feed_dir or jobs_dir) / run_id
    try:
        stored_everywhere(con, run_id, job)  # and what a full disk sent to a rescue folder
    except duckdb.Error:
        return  # kept for a resume; the counts say what is stored
    if not feed_dir:
        shutil.rmtree(job, ignore_errors=True)
