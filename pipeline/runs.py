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
says how many linked URLs it never fetched (``unaccounted``). The sentences of a reason are
worded in ``pipeline/run_reasons.py`` or here, each a marked pattern a report translates.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from unsilo.languages import N_
from unsilo.pipeline.db import database_path
from unsilo.pipeline.feeds import database_jobs_dir
from unsilo.pipeline.lock import is_held, read_holder
from unsilo.pipeline.queries import run_sql
from unsilo.pipeline.rescue import stored_everywhere
from unsilo.pipeline.resume import unaccounted
from unsilo.pipeline.run_reasons import (
    LIMIT_REASONS,
    NO_STATS,
    STALE_REASON,
    STEP_NAMES,
    join_reasons,
    limit_reason,
    stat_count,
    unstored_rows,
)
from unsilo.pipeline.run_rows import finish_run
from unsilo.pipeline.run_scope import stored_scope

BAD_ARGUMENT = "bad argument: "
"""How a spider's close reason starts when it refused its ``-a`` arguments and asked nothing
(``unsilo.spider_arguments``): the run failed, whichever spider it was."""

HOST_DOWN = ("dns", "refused", "tls")
"""robots.txt error kinds that mean the host itself could not be reached."""


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
    lost = stat_count(stats, "unsilo/rows_not_stored") + stat_count(stats, "unsilo/rows_lost")
    status, reason = _judge_crawl(con, run_id, stats, lost)
    if status != "failed":
        reason = _crawl_notes(con, run_id, reason)
    if (unstored := unstored_rows(stats)) and status != "failed":
        status, reason = "partial", join_reasons(reason, unstored)
    for step, (finish_reason, error) in (steps or {}).items():
        what = STEP_NAMES.get(step, step)
        if status == "failed":
            break
        if error:
            reason = join_reasons(reason, N_("message", "{} not crawled: {}").format(what, error))
        elif finish_reason not in (None, "finished"):
            # an audit whose profiles or signals were only partly read is not complete
            status = "partial"
            stopped = N_("message", "the {}' crawl stopped early: {}")
            reason = join_reasons(reason, stopped.format(what, finish_reason))
    return status, reason


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
        return "failed", N_("message", "nothing asked: {}").format(finish_reason)
    scope = stored_scope(con, run_id)
    only = {
        "social": N_("message", "social profiles only: no shop pages in this run"),
        "signals": N_("message", "social signals only: no shop pages in this run"),
    }
    if scope.get("spider") in only:  # a run of one step has no start page to judge
        if finish_reason is None:
            return "partial", NO_STATS
        if finish_reason != "finished":
            return "partial", N_("message", "crawl stopped early: {}").format(finish_reason)
        return "complete", only[scope["spider"]]
    row = run_sql(con, "run_start_page", run_id=run_id).fetchone()
    if row is None:
        if lost:  # the start page may be among the rows storage refused: not proven failed
            return "partial", N_("message", "the start URL's page was not stored")
        if finish_reason is None:
            return "partial", join_reasons(NO_STATS, N_("message", "the start URL was not stored"))
        if finish_reason == "shutdown":
            return "partial", N_("message", "interrupted before the start URL was fetched")
        return "failed", N_("message", "the start URL was never fetched")
    _url, final_url, http_status, error, error_kind, is_html, content_type, ok_html = row
    if error:
        if error_kind == "robots":
            if unreadable := _robots_unreadable(con, run_id):
                return "failed", unreadable
            blocked = N_(
                "message",
                "unsilo's crawler was blocked by the shop's robots.txt ({}); this says nothing "
                "about search engines, which robots.txt may still allow",
            )
            return "failed", blocked.format(error)
        return "failed", N_("message", "could not fetch the start URL: {}").format(error)
    if http_status is not None and http_status >= 400:
        return "failed", N_("message", "the start URL answered HTTP {}").format(http_status)
    if not is_html:
        not_html = N_("message", "the start URL is not an HTML page (content type {})")
        return "failed", not_html.format(content_type or N_("message", "unknown"))
    if finish_reason is None:
        return "partial", join_reasons(NO_STATS, unaccounted(con, run_id))
    if finish_reason == "shutdown":
        interrupted = N_(
            "message", "interrupted (Ctrl-C or SIGTERM); pages fetched so far are kept"
        )
        return "partial", join_reasons(interrupted, unaccounted(con, run_id))
    if finish_reason in LIMIT_REASONS:
        return "partial", limit_reason(scope, finish_reason)
    if finish_reason != "finished":
        return "partial", N_("message", "crawl stopped early: {}").format(finish_reason)
    if not ok_html:
        unread = N_("message", "no HTML page could be read (start URL ended at {})")
        return "failed", unread.format(final_url)
    too_deep = int((stats or {}).get("unsilo/depth_limit_skipped") or 0)
    if too_deep:
        depth = scope.get("max_depth")
        too_deep_reason = N_(
            "message",
            "depth limit reached ({} clicks): {} links deeper were not followed; the shop may "
            "hold more than was crawled",
        )
        return "partial", too_deep_reason.format(depth, too_deep)
    return "complete", None


def _robots_unreadable(con: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    """The reason when the start URL was refused because robots.txt failed (RFC 9309: a 5xx or
    no answer means "crawl nothing"), rather than because its rules forbid unsilo."""
    row = run_sql(con, "run_start_robots", run_id=run_id).fetchone()
    if row is None or row[1] != "disallow-all":
        return None
    status, _rules, error, error_kind = row
    if error_kind in HOST_DOWN:  # no connection at all: the shop is down, not its robots.txt
        return N_("message", "could not fetch the start URL: {}").format(error)
    if status is not None:
        answered = N_(
            "message",
            "the shop's robots.txt answered HTTP {}, after retries; RFC 9309 reads that as "
            "'crawl nothing', so nothing was crawled (search engines stop too): make robots.txt "
            "answer 200, or 404 when there are no rules",
        )
        return answered.format(status)
    unfetched = N_(
        "message",
        "the shop's robots.txt could not be fetched ({}), after retries; RFC 9309 reads that as "
        "'crawl nothing', so nothing was crawled (search engines stop too): make robots.txt "
        "answer 200, or 404 when there are no rules",
    )
    return unfetched.format(error)


def _crawl_notes(con: duckdb.DuckDBPyConnection, run_id: str, reason: str | None) -> str | None:
    """What a run that was not refused should say anyway: traps it stopped following, and
    whose robots.txt rules it obeyed when they were not unsilo's own."""
    traps = run_sql(con, "run_crawl_traps", run_id=run_id).fetchall()
    if traps:
        named = ", ".join(
            f"{'parameter ' if kind == 'query' else ''}{pattern} ({urls} URLs)"
            for kind, pattern, urls in traps
        )
        traps_reason = N_("message", "crawl traps recognised and no longer followed: {}")
        reason = join_reasons(reason, traps_reason.format(named))
    agent = stored_scope(con, run_id).get("robots_user_agent")
    if agent and str(agent).lower() != "unsilo":
        obeyed = N_("message", "robots.txt obeyed as user agent {}, not unsilo's own rules")
        reason = join_reasons(reason, obeyed.format(agent))
    return reason


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
        finish_run(con, run_id, "partial", join_reasons(STALE_REASON, unaccounted(con, run_id)))
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
