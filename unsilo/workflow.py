"""The steps of an audit, orchestrated: lock, record the run, crawl, judge, analyse, render.

The CLI only parses options and prints; this module owns the order of things, so that a
run row exists before the first request and is finished whatever happens afterwards. It also
owns the database's lock and connections for the other ways in: loading feeds crawled
elsewhere, listing runs, and the follow-up steps run alone (``unsilo.follow_ups``).
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb

from unsilo.crawl import run_crawl
from unsilo.crawl_request import CrawlRequest, recorded_scope
from unsilo.pipeline.crawl_run import job_run_file, run_in_job
from unsilo.pipeline.db import StorageError, connect
from unsilo.pipeline.load import LoadedRun
from unsilo.pipeline.lock import DatabaseLock, LockBusy
from unsilo.pipeline.rescue import storage_problem
from unsilo.pipeline.resume import unaccounted
from unsilo.pipeline.run_history import list_runs, resumable_run
from unsilo.pipeline.run_rows import finish_run, reopen_run, start_run
from unsilo.pipeline.runs import finish_crawl_run, mark_stale_runs, unstored_rows
from unsilo.pipeline.signals import carry_forward
from unsilo.progress import Progress
from unsilo.urls import registrable_domain


class WorkflowError(Exception):
    """An environment problem (database, lock, output folder) with a message to print."""


@dataclass
class RunResult:
    run_id: str
    status: str
    reason: str | None
    resumed: bool = False


def crawl_and_record(
    request: CrawlRequest,
    notify: Callable[[str], None] = lambda _line: None,
    progress: Progress | None = None,
) -> RunResult:
    """Crawl under the database lock; the run row is finished even on Ctrl-C or a crash.

    The run is judged by ``unsilo.pipeline.runs.finish_crawl_run``, as for every other way
    of crawling. With ``resume`` (or a ``JOBDIR`` that names a stored run) the interrupted
    run is continued: the pages it stored are kept and not fetched again. ``notify`` gets
    one line before the crawl starts saying which run is continued, or that ``resume``
    found nothing to continue and a new run starts. ``progress`` is shown each phase's
    figures (``unsilo.progress``).
    """
    try:
        lock = DatabaseLock(request.db_path, wait=request.wait_lock)
        lock.acquire()
    except LockBusy as exc:
        raise WorkflowError(str(exc)) from exc
    except StorageError as exc:
        raise WorkflowError(str(exc)) from exc
    except OSError as exc:
        raise WorkflowError(f"cannot lock database {request.db_path}: {exc}") from exc
    try:
        with open_database(request.db_path) as con:
            mark_stale_runs(con)
            run_id = _run_to_continue(con, request)
            resume = run_id is not None and reopen_run(con, run_id)
            if resume:
                notify(f"continuing run {run_id} ({unaccounted(con, run_id)})")
            else:
                if request.resume:
                    where = f"{request.url} in {request.db_path}"
                    notify(f"nothing to resume for {where}: starting a new run")
                site = registrable_domain(urlsplit(request.url).hostname or "")
                run_id = start_run(
                    con, start_url=request.url, site=site, settings=recorded_scope(request)
                )
            assert run_id is not None
            lock.note_run(run_id)
        outcome = None
        try:
            outcome = run_crawl(
                request.url,
                request.scrapy_settings(run_id, resume=resume),
                spider_args={"sitemaps": request.sitemaps},
                progress=progress,
                follow_ups=(
                    ("social", functools.partial(request.social_args, run_id)),
                    ("signals", functools.partial(request.signals_args, run_id)),
                ),
                verbose=request.verbose,
            )
        finally:
            with open_database(request.db_path) as con:
                stats = None
                if outcome is not None:
                    stats = {**outcome.stats, "finish_reason": outcome.finish_reason}
                if outcome is not None and "signals" in outcome.steps:
                    carry_forward(con, run_id, request.signal_max_age_days)
                status, reason = finish_crawl_run(
                    con, run_id, stats, steps=outcome.steps if outcome else None
                )
            if problem := unstored_rows(stats):  # a full disk: exit 4, not a report
                raise WorkflowError(f"run {run_id} {status}: {problem}")
        return RunResult(run_id, status, reason, resumed=resume)
    finally:
        lock.release()


def _run_to_continue(con: duckdb.DuckDBPyConnection, request: CrawlRequest) -> str | None:
    """The run a ``JOBDIR`` names, else (``--resume``) the last interrupted run of the URL."""
    named = run_in_job(job_run_file(request.extra_settings.get("JOBDIR")))
    if named and con.execute("select 1 from runs where run_id = $r", {"r": named}).fetchone():
        return named
    return resumable_run(con, request.url) if request.resume else None


@contextlib.contextmanager
def open_database(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that is closed afterwards; storage errors become readable ones."""
    try:
        con = connect(path)
    except StorageError as exc:
        raise WorkflowError(str(exc)) from exc
    try:
        yield con
    except duckdb.Error as exc:
        if (problem := storage_problem(exc, path)) is None:
            raise
        raise WorkflowError(problem) from exc
    finally:
        con.close()


def list_stored_runs(db_path: Path) -> list[dict[str, Any]]:
    if not Path(db_path).exists():
        return []
    with open_database(db_path) as con:
        return list_runs(con)


def check_writable_dir(path: Path) -> str | None:
    """Why ``path`` cannot take our output, or None. Checked before a crawl, not after."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".unsilo-probe-"):
            pass
    except OSError as exc:
        return f"output folder {path} is not writable: {exc.strerror or exc}"
    if not os.access(path, os.W_OK):
        return f"output folder {path} is not writable"
    return None


def record_failed_run(db_path: Path, url: str, reason: str) -> str | None:
    """Record a run that could not start (bad URL, unwritable output), if the database allows.

    So a cron job's history shows the failed month too, not just silence.
    """
    try:
        with open_database(db_path) as con:
            host = urlsplit(url).hostname if "://" in url else None
            run_id = start_run(con, start_url=url, site=registrable_domain(host or ""), settings={})
            finish_run(con, run_id, "failed", reason)
            return run_id
    except (WorkflowError, ValueError):
        return None


def load_sources(
    db_path: Path,
    sources: list[Path],
    *,
    start_url: str | None = None,
    stats_file: Path | None = None,
) -> list[LoadedRun]:
    """Bring feeds crawled elsewhere in, one run per feed job (or per mixed items file).

    Sources are found by ``unsilo.pipeline.load.find_feeds`` and loaded by ``load_feeds``
    under the database lock, each run judged from its job's own stats.
    """
    from unsilo.pipeline.feeds import read_json_file
    from unsilo.pipeline.load import LoadError, find_feeds, load_feeds, prepare_for_loading

    try:
        jobs, files = find_feeds(sources)
    except LoadError as exc:
        raise WorkflowError(str(exc)) from exc
    if files and not start_url:
        raise WorkflowError("loading an items file needs --url (the shop it was crawled from)")
    stats = read_json_file(stats_file) if stats_file else None
    if stats_file and stats is None:
        raise WorkflowError(f"cannot read crawl stats from {stats_file}")
    with locked_database(db_path), open_database(db_path) as con:
        prepare_for_loading(con)
        try:
            return load_feeds(con, jobs, files, start_url=start_url or "", stats=stats)
        except LoadError as exc:
            raise WorkflowError(str(exc)) from exc


@contextlib.contextmanager
def locked_database(db_path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the database's lock: a load and a crawl never write one file at once."""
    try:
        lock = DatabaseLock(db_path, wait=wait).acquire()
    except (LockBusy, StorageError) as exc:
        raise WorkflowError(str(exc)) from exc
    try:
        yield
    finally:
        lock.release()


@dataclass
class PruneResult:
    """What ``unsilo prune`` did (or, dry, would do): the plan, rows deleted, file sizes."""

    plan: Any  # unsilo.pipeline.prune.PrunePlan
    deleted: dict[str, int]
    size_before: int
    size_after: int


def prune_database(
    db_path: Path, *, keep_monthly: int, keep_latest: int, dry_run: bool = False
) -> PruneResult:
    """Drop the per-page rows of the runs ``unsilo.pipeline.prune`` does not keep whole,
    under the database lock, then rewrite the file so the space is freed (``compact``);
    ``dry_run`` only plans."""
    from unsilo.pipeline.prune import compact, file_size, plan_prune, prune_runs

    if not Path(db_path).exists():
        raise WorkflowError(f"no database at {db_path}")
    before = file_size(db_path)
    with locked_database(db_path):
        with open_database(db_path) as con:
            mark_stale_runs(con)
            plan = plan_prune(con, keep_monthly=keep_monthly, keep_latest=keep_latest)
            if dry_run or not plan.prune:
                return PruneResult(plan, {}, before, before)
            deleted = prune_runs(con, plan)
        try:
            compact(db_path)
        except (OSError, duckdb.Error) as exc:  # the rows are pruned; only the space is not back
            raise WorkflowError(f"pruned, but could not compact {db_path}: {exc}") from exc
    return PruneResult(plan, deleted, before, file_size(db_path))
