"""The steps of an audit, orchestrated: lock, record the run, crawl, judge, analyse, render.

The CLI only parses options and prints; this module owns the order of things, so that a
run row exists before the first request and is finished whatever happens afterwards.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb

from unsilo.crawl import Progress, project_settings, run_crawl
from unsilo.outcome import judge_run
from unsilo.pipeline.db import StorageError, connect
from unsilo.pipeline.lock import DatabaseLock, LockBusy
from unsilo.pipeline.runs import finish_run, latest_run, list_runs, mark_stale_runs, start_run
from unsilo.urls import registrable_domain


class WorkflowError(Exception):
    """An environment problem (database, lock, output folder) with a message to print."""


@dataclass
class CrawlRequest:
    url: str
    db_path: Path
    max_pages: int | None = None
    max_depth: int | None = None
    sitemaps: bool = True
    throttle: bool = True
    wait_lock: float = 0.0
    quiet: bool = False
    verbose: bool = False
    extra_settings: dict[str, Any] = field(default_factory=dict)
    social: bool = True  # also crawl the shop's public social profiles
    profiles: list[str] = field(default_factory=list)  # configured profile URLs (win)
    exclude_profiles: list[str] = field(default_factory=list)
    social_endpoints: dict[str, Any] | None = None  # base URLs (the demo's local fakes)

    def social_args(self, run_id: str) -> dict[str, Any] | None:
        """Arguments of the ``social`` spider once the shop crawl of ``run_id`` is stored.

        The profiles the shop claims (analysed from this run: ``sameAs``, ``rel=me`` or
        site-wide links, not a designer linked once) plus the configured ones, minus the
        excluded ones, handed over as a list: the spider never reads the database. None
        when there is nothing to audit. Errors propagate: ``run_crawl`` logs and records
        them without losing the shop crawl.
        """
        if not self.social:
            return None
        from unsilo.pipeline.analyse import analyse
        from unsilo.pipeline.profiles import claimed_profiles
        from unsilo.social.discovery import merge_profiles

        con = connect(self.db_path)
        try:
            analyse(con, run_id)
            claimed = claimed_profiles(con, run_id)
        finally:
            con.close()
        refs = merge_profiles(claimed, self.profiles, self.exclude_profiles)
        if not refs:
            return None
        args: dict[str, Any] = {
            "site": self.url,
            "profiles": json.dumps([ref.profile_url for ref in refs]),
        }
        if self.social_endpoints:
            args["endpoints"] = json.dumps(self.social_endpoints)
        return args

    def scrapy_settings(self, run_id: str) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "UNSILO_DB": str(self.db_path),
            "UNSILO_RUN_ID": run_id,
            "AUTOTHROTTLE_ENABLED": self.throttle,
            "LOG_LEVEL": "INFO" if self.verbose else "WARNING",
        }
        if self.max_pages:
            settings["CLOSESPIDER_PAGECOUNT"] = self.max_pages
        if self.max_depth is not None:
            settings["DEPTH_LIMIT"] = self.max_depth
        settings.update(self.extra_settings)
        return settings


@dataclass
class RunResult:
    run_id: str
    status: str
    reason: str | None


def recorded_settings(request: CrawlRequest) -> dict[str, Any]:
    """The settings worth keeping with a run (never secrets: none are crawl settings)."""
    effective = project_settings(request.scrapy_settings("-"))
    return {
        "user_agent": effective.get("USER_AGENT"),
        "max_pages": request.max_pages,
        "max_depth": request.max_depth,
        "sitemaps": request.sitemaps,
        "autothrottle": effective.getbool("AUTOTHROTTLE_ENABLED"),
        "concurrent_requests_per_domain": effective.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
        "robots_txt_obeyed": effective.getbool("ROBOTSTXT_OBEY"),
    }


def crawl_and_record(request: CrawlRequest) -> RunResult:
    """Crawl under the database lock; the run row is finished even on Ctrl-C or a crash."""
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
        site = registrable_domain(urlsplit(request.url).hostname or "")
        with _open(request.db_path) as con:
            mark_stale_runs(con)
            run_id = start_run(
                con, start_url=request.url, site=site, settings=recorded_settings(request)
            )
            lock.note_run(run_id)
        outcome = None
        try:
            outcome = run_crawl(
                request.url,
                request.scrapy_settings(run_id),
                spider_args={"sitemaps": request.sitemaps},
                progress=Progress(quiet=request.quiet),
                plan_social=functools.partial(request.social_args, run_id),
                verbose=request.verbose,
            )
        finally:
            with _open(request.db_path) as con:
                if outcome is None:
                    status, reason = "partial", "the crawl stopped with an unexpected error"
                else:
                    lost = int(outcome.stats.get("unsilo/rows_not_stored", 0))
                    status, reason = judge_run(con, run_id, outcome.finish_reason, lost)
                    if outcome.social_error and status == "complete":
                        reason = f"social profiles not crawled: {outcome.social_error}"
                finish_run(con, run_id, status, reason)
        return RunResult(run_id, status, reason)
    finally:
        lock.release()


@contextlib.contextmanager
def _open(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that is closed afterwards; storage errors become readable ones."""
    try:
        con = connect(path)
    except StorageError as exc:
        raise WorkflowError(str(exc)) from exc
    try:
        yield con
    finally:
        con.close()


def analyse_and_render(db_path: Path, run_id: str | None, out_dir: Path) -> Path:
    """Analyse ``run_id`` (default: the latest run) and write report, archive copy and index."""
    from unsilo.pipeline.analyse import analyse
    from unsilo.pipeline.analyse_social import analyse_social
    from unsilo.reports.exports import export_run
    from unsilo.reports.render import ReportError, render_index, render_report

    if problem := check_writable_dir(out_dir):
        raise WorkflowError(problem)
    if not Path(db_path).exists():
        raise WorkflowError(f"no database at {db_path}: run `unsilo audit` or `unsilo crawl` first")
    with _open(db_path) as con:
        run_id = run_id or latest_run(con, status=("complete", "partial", "failed"))
        if run_id is None:
            raise WorkflowError(f"no runs in {db_path} yet")
        analyse(con, run_id)
        analyse_social(con, run_id)
        try:
            export_run(con, run_id, out_dir)
            render_report(con, run_id, out_dir / "runs" / f"{run_id}.html", out_dir)
            # rendered again rather than copied: its links to the exports are relative
            latest = render_report(con, run_id, out_dir / "report.html", out_dir)
            render_index(con, out_dir)
        except ReportError as exc:
            raise WorkflowError(str(exc)) from exc
    return latest


def list_stored_runs(db_path: Path) -> list[dict[str, Any]]:
    if not Path(db_path).exists():
        return []
    with _open(db_path) as con:
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
        with _open(db_path) as con:
            host = urlsplit(url).hostname if "://" in url else None
            run_id = start_run(con, start_url=url, site=registrable_domain(host or ""), settings={})
            finish_run(con, run_id, "failed", reason)
            return run_id
    except (WorkflowError, ValueError):
        return None


def load_into_new_run(db_path: Path, source: Path, start_url: str) -> tuple[str, dict[str, int]]:
    """Load feed files written elsewhere (Scrapyd, ``-o items.jsonl``, ``UNSILO_FEED_DIR``)
    as a new run, through the same ``read_json`` path the crawl's own batches take."""
    from unsilo.pipeline.feeds import load_feed_file, load_feeds

    if not source.exists():
        raise WorkflowError(f"no feed at {source}")
    with _open(db_path) as con:
        host = urlsplit(start_url).hostname or ""
        run_id = start_run(
            con,
            start_url=start_url,
            site=registrable_domain(host),
            settings={"loaded": str(source)},
        )
        try:
            if source.is_dir():
                counts = load_feeds(con, run_id, source)
            else:
                counts = load_feed_file(con, run_id, source)
        except Exception as exc:
            finish_run(con, run_id, "failed", f"could not load {source}: {exc}")
            raise WorkflowError(f"could not load {source}: {exc}") from exc
        finish_run(con, run_id, "complete", f"loaded from {source}")
    return run_id, counts
