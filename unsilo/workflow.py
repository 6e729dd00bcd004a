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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb

from unsilo import settings as defaults
from unsilo.crawl import Progress, project_settings, run_crawl
from unsilo.pipeline.db import StorageError, connect
from unsilo.pipeline.load import LoadedRun
from unsilo.pipeline.lock import DatabaseLock, LockBusy
from unsilo.pipeline.rescue import storage_problem
from unsilo.pipeline.resume import unaccounted
from unsilo.pipeline.run_history import latest_run, list_runs, resumable_run
from unsilo.pipeline.runs import (
    crawl_scope,
    finish_crawl_run,
    finish_run,
    mark_stale_runs,
    reopen_run,
    start_run,
    unstored_rows,
)
from unsilo.pipeline.signals import carry_forward
from unsilo.pipeline.storage_pipeline import JOB_RUN_FILE
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
    resume: bool = False  # continue the last interrupted run of this URL, if there is one
    include: list[str] = field(default_factory=list)  # URL patterns to follow (empty: all)
    exclude: list[str] = field(default_factory=list)  # URL patterns never to follow
    drop_query: list[str] = field(default_factory=list)  # query parameters to drop
    concurrency: int | None = None  # parallel requests to the shop (None: settings.py's)
    delay: float | None = None  # seconds between requests to the shop, at least
    social_window_days: int | None = None  # days of posts read per profile (None: 90)
    social_max_posts: int | None = None  # posts read per profile, at most (None: 200)
    collect_signals: bool = True  # also ask who shared the shop's pages (the signals step)
    signals: list[str] = field(default_factory=list)  # sources to ask (empty: the defaults)
    signal_endpoints: dict[str, Any] | None = None  # base URLs (the demo's local fakes)
    signal_max_age_days: int = 7  # answers fetched more recently are reused, not asked again
    signal_url_budget: int | None = None  # pages a per-URL source asks about (None: 200)
    signal_options: dict[str, Any] = field(default_factory=dict)  # per source, e.g. lemmy
    language: str = "en"  # recorded on the run; the report is English until translated
    out_dir: Path | None = None  # the report folder of `unsilo audit`, recorded on the run
    config_path: Path | None = None  # the config file the settings came from

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

    def signals_args(self, run_id: str) -> dict[str, Any] | None:
        """Arguments of the ``signals`` spider once the shop crawl (and the profiles) of
        ``run_id`` are stored: the pages most valuable first, the shop's own profiles, and
        the answers still fresh from earlier runs. What the run held of signals before (a
        resumed run) is dropped first: they are asked again. None when switched off.
        """
        if not self.collect_signals:
            return None
        from unsilo.pipeline.analyse import build_stage
        from unsilo.pipeline.signals import (
            forget_signals,
            fresh_answers,
            own_handles,
            signal_targets,
        )

        con = connect(self.db_path)
        try:
            build_stage(con, "site", run_id)  # page_facts and shop_profiles of this run
            forget_signals(con, run_id)
            pages = signal_targets(con, run_id)
            own = own_handles(con, run_id)
            fresh = fresh_answers(con, run_id, self.signal_max_age_days)
        finally:
            con.close()
        if not pages:
            return None  # the shop could not be seen: nothing to ask the world about
        args: dict[str, Any] = {
            "site": self.url,
            "pages": json.dumps(pages),
            "own": json.dumps(own),
            "fresh": json.dumps(fresh),
            "options": json.dumps(self.signal_options),
        }
        if self.signals:
            args["sources"] = json.dumps(self.signals)
        if self.signal_endpoints:
            args["endpoints"] = json.dumps(self.signal_endpoints)
        return args

    def scrapy_settings(self, run_id: str, *, resume: bool = False) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "UNSILO_DB": str(self.db_path),
            "UNSILO_RUN_ID": run_id,
            "UNSILO_RESUME": resume,
            "AUTOTHROTTLE_ENABLED": self.throttle,
            "LOG_LEVEL": "INFO" if self.verbose else "WARNING",
        }
        if self.max_pages:
            settings["CLOSESPIDER_PAGECOUNT"] = self.max_pages
        if self.max_depth is not None:
            settings["DEPTH_LIMIT"] = self.max_depth
        if self.concurrency is not None:
            settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = self.concurrency
        if self.delay is not None:
            settings["DOWNLOAD_DELAY"] = self.delay  # AutoThrottle never goes below it
        if self.social_window_days is not None:
            settings["UNSILO_SOCIAL_WINDOW_DAYS"] = self.social_window_days
        if self.social_max_posts is not None:
            settings["UNSILO_SOCIAL_MAX_POSTS"] = self.social_max_posts
        if self.signal_url_budget is not None:
            settings["UNSILO_SIGNALS_URL_BUDGET"] = self.signal_url_budget
        for name, values in (
            ("UNSILO_INCLUDE", self.include),
            ("UNSILO_EXCLUDE", self.exclude),
            ("UNSILO_DROP_QUERY", self.drop_query),
        ):
            if values:
                settings[name] = list(values)
        settings.update(self.extra_settings)
        return settings

    def run_options(self) -> dict[str, Any]:
        """What the run was asked beyond the crawl's Scrapy settings, for its run row."""
        return {
            "config_file": str(self.config_path) if self.config_path else None,
            "database": str(self.db_path),
            "report_folder": str(self.out_dir) if self.out_dir else None,
            "social": self.social,
            "profiles": list(self.profiles),
            "exclude_profiles": list(self.exclude_profiles),
            "social_window_days": self.social_window_days or defaults.UNSILO_SOCIAL_WINDOW_DAYS,
            "social_max_posts": self.social_max_posts or defaults.UNSILO_SOCIAL_MAX_POSTS,
            "signals": self.collect_signals,
            "signal_sources": list(self.signals),
            "signal_max_age_days": self.signal_max_age_days,
            "signal_url_budget": self.signal_url_budget or defaults.UNSILO_SIGNALS_URL_BUDGET,
            "signal_options": dict(self.signal_options),
            "report_language": self.language,
            "scrapy_settings": dict(self.extra_settings),
        }


@dataclass
class RunResult:
    run_id: str
    status: str
    reason: str | None
    resumed: bool = False


def recorded_scope(request: CrawlRequest) -> dict[str, Any]:
    """Every setting the run uses: its crawl scope, built by the same function the storage
    pipeline uses, and the run's own options (``start_run`` drops any secret-looking name)."""
    effective = project_settings(request.scrapy_settings("-"))
    scope = crawl_scope(effective, spider="shop", start_url=request.url, sitemaps=request.sitemaps)
    return {**scope, **request.run_options()}


def crawl_and_record(
    request: CrawlRequest, notify: Callable[[str], None] = lambda _line: None
) -> RunResult:
    """Crawl under the database lock; the run row is finished even on Ctrl-C or a crash.

    The run is judged by ``unsilo.pipeline.runs.finish_crawl_run``, as for every other way
    of crawling. With ``resume`` (or a ``JOBDIR`` that names a stored run) the interrupted
    run is continued: the pages it stored are kept and not fetched again. ``notify`` gets
    one line before the crawl starts saying which run is continued, or that ``resume``
    found nothing to continue and a new run starts.
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
        with _open(request.db_path) as con:
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
                progress=Progress(quiet=request.quiet),
                follow_ups=(
                    ("social", functools.partial(request.social_args, run_id)),
                    ("signals", functools.partial(request.signals_args, run_id)),
                ),
                verbose=request.verbose,
            )
        finally:
            with _open(request.db_path) as con:
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
    jobdir = request.extra_settings.get("JOBDIR")
    job_file = Path(jobdir) / JOB_RUN_FILE if jobdir else None
    if job_file is not None and job_file.is_file():
        named = job_file.read_text(encoding="utf-8").strip()
        if con.execute("select 1 from runs where run_id = $r", {"r": named}).fetchone():
            return named
    return resumable_run(con, request.url) if request.resume else None


@contextlib.contextmanager
def _open(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
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


def collect_signals(request: CrawlRequest, run_id: str | None) -> tuple[str, list[tuple]]:
    """Ask the signal sources about a stored run (default: the latest with pages), under the
    database lock, and return ``(run_id, [(source, status, found, reason), …])``.

    ``unsilo signals``: the step an audit runs after the profiles, on its own — to add signals
    to a run crawled with ``--no-signals`` or to ask again (what the run held is replaced).
    """
    from unsilo.crawl import run_spider

    with _locked(request.db_path, request.wait_lock):
        with _open(request.db_path) as con:
            run_id = run_id or latest_run(con, status=("complete", "partial"))
            row = con.execute(
                "select start_url from runs where run_id = $r", {"r": run_id}
            ).fetchone()
        if run_id is None or row is None:
            raise WorkflowError(f"no crawled run in {request.db_path}: run `unsilo crawl` first")
        request.url = row[0]
        args = request.signals_args(run_id)
        if args is None:
            raise WorkflowError(f"run {run_id} has no indexable pages to ask about")
        reason = run_spider("signals", args, request.scrapy_settings(run_id))
        with _open(request.db_path) as con:
            carry_forward(con, run_id, request.signal_max_age_days)
            sources = con.execute(
                "select source, status, found, reason from signal_sources where run_id = $r "
                "order by source",
                {"r": run_id},
            ).fetchall()
    if reason not in (None, "finished"):
        raise WorkflowError(f"signals of run {run_id} stopped early: {reason}")
    return run_id, sources


def analyse_and_render(db_path: Path, run_id: str | None, out_dir: Path) -> Path:
    """Analyse ``run_id`` (default: the latest run) and write report, archive copy and index."""
    from unsilo.pipeline.analyse import analyse
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
    with _locked(db_path), _open(db_path) as con:
        prepare_for_loading(con)
        try:
            return load_feeds(con, jobs, files, start_url=start_url or "", stats=stats)
        except LoadError as exc:
            raise WorkflowError(str(exc)) from exc


@contextlib.contextmanager
def _locked(db_path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the database's lock: a load and a crawl never write one file at once."""
    try:
        lock = DatabaseLock(db_path, wait=wait).acquire()
    except (LockBusy, StorageError) as exc:
        raise WorkflowError(str(exc)) from exc
    try:
        yield
    finally:
        lock.release()
