"""Bring crawls made elsewhere into the database: feed job folders and Scrapy's mixed feeds.

A job folder (``unsilo.pipeline.feeds``) becomes the run it recorded, judged from its own
``stats.json``; an ``-o items.jsonl`` file (``unsilo.pipeline.mixed_feed``) becomes a new
run, judged from the stats given with it. Each loads in one transaction, so a feed that
cannot be read records no run, and streams through DuckDB under ``LOAD_MEMORY_LIMIT``.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from unsilo.pipeline.db import transaction
from unsilo.pipeline.feeds import RUN_FILE, STATS_FILE, batch_files, load_parts, read_json_file
from unsilo.pipeline.mixed_feed import UNROUTED, load_feed_file
from unsilo.pipeline.run_rows import start_run
from unsilo.pipeline.runs import finish_crawl_run
from unsilo.pipeline.schema import TABLES
from unsilo.urls import registrable_domain

LOAD_MEMORY_LIMIT = "300MB"
"""DuckDB's memory while loading. By default it may take 80% of RAM, and a big feed
streamed into a table fills whatever it is given; capped, the same load streams with flat
memory (a 200,000-page feed: ~390 MB peak RSS, measured by ``bench/load_bench.py``).
Below ~250 MB the load slows down sharply (measured: half the speed at 200 MB)."""

LOAD_THREADS = 2
"""At most this many DuckDB threads while loading. Each scanning thread holds its own
read buffer and a chunk of lines (a page line is ~30 KB): measured at 300 MB, two threads
load a 200,000-page feed, four run out of memory counting the lines of a mixed feed."""


class LoadError(RuntimeError):
    """A feed that cannot become a run (absent, empty, unreadable, already loaded)."""


def prepare_for_loading(
    con: duckdb.DuckDBPyConnection, memory_limit: str = LOAD_MEMORY_LIMIT
) -> None:
    """Cap DuckDB's memory and threads on a loading connection; make sure it can spill.

    What does not fit goes to ``temp_directory`` (``<db>.tmp`` beside a database file,
    ``.tmp`` in the working folder for ``:memory:``). When that folder cannot be made (a
    read-only working folder under cron), the system's temporary folder is used instead.
    """
    con.execute("SET memory_limit = $limit", {"limit": memory_limit})
    row = con.execute("select current_setting('threads')").fetchone()
    threads = int(row[0]) if row else LOAD_THREADS
    con.execute("SET threads = $n", {"n": min(threads, LOAD_THREADS)})
    row = con.execute("select current_setting('temp_directory')").fetchone()
    current = Path(str(row[0])) if row and row[0] else None
    if current is None or not _can_create(current):
        fallback = Path(tempfile.gettempdir()) / "unsilo-duckdb-tmp"
        con.execute("SET temp_directory = $dir", {"dir": str(fallback)})


def _can_create(folder: Path) -> bool:
    """Whether ``folder`` exists as a writable folder or could be made (DuckDB makes it)."""
    target = folder.resolve()
    existing = target if target.exists() else target.parent
    return existing.is_dir() and os.access(existing, os.W_OK | os.X_OK)


def find_feeds(sources: list[Path]) -> tuple[list[Path], list[Path]]:
    """Split ``sources`` into job folders and items files, each once, in the order given.

    A source is a job folder (``run.json`` + batches), a folder of job folders (Scrapyd's
    ``UNSILO_FEED_DIR``, its jobs in name order) or a mixed ``-o items.jsonl`` file.
    """
    jobs: dict[Path, Path] = {}  # resolved → as given: a job named twice loads once
    files: dict[Path, Path] = {}
    for source in sources:
        if not source.exists():
            raise LoadError(f"no feed at {source}")
        if source.is_file():
            files.setdefault(source.resolve(), source)
        elif (source / RUN_FILE).is_file():
            jobs.setdefault(source.resolve(), source)
        else:
            found = sorted(p.parent for p in source.glob(f"*/{RUN_FILE}"))
            if not found:
                raise LoadError(f"{source} holds no feed job folder (no */{RUN_FILE})")
            for job in found:
                jobs.setdefault(job.resolve(), job)
    return list(jobs.values()), list(files.values())


@dataclass
class LoadedRun:
    """One feed brought in: the run it became and how it was judged."""

    run_id: str
    source: Path
    status: str
    reason: str | None
    counts: dict[str, int]
    skipped: bool = False  # the job's run was in the database already


def load_feeds(
    con: duckdb.DuckDBPyConnection,
    jobs: list[Path],
    files: list[Path],
    *,
    start_url: str,
    stats: dict[str, object] | None,
) -> list[LoadedRun]:
    """Load job folders, then items files, each as its own run in its own transaction.

    Every feed is checked before the first is loaded (a job: readable, holds rows, not
    loaded yet; a file: not empty), so most mistakes load nothing. A feed that turns out
    unreadable records no run; the ``LoadError`` then names the runs loaded before it
    (they stay) and the feeds not loaded, so nobody has to work out from ``unsilo runs``
    what to load again. A job whose run is in the database already is skipped (and said
    so), so a cron line can load a Scrapyd feeds folder again and again.
    """
    loaded: list[LoadedRun] = [
        _loaded(con, job, run_id, {}, skipped=True)
        for job in jobs
        if (run_id := _loaded_run_id(con, job)) is not None
    ]
    jobs = [job for job in jobs if _loaded_run_id(con, job) is None]
    try:
        check_jobs(con, jobs)
        for path in files:
            check_items_file(path)
        for job in jobs:
            loaded.append(_loaded(con, job, *load_job(con, job)))
        for path in files:
            run = load_items_file(con, path, start_url=start_url, stats=stats)
            loaded.append(_loaded(con, path, *run))
    except LoadError as exc:
        if not loaded:
            raise
        done = ", ".join(f"{run.source} as run {run.run_id}" for run in loaded)
        rest = ", ".join(str(p) for p in [*jobs, *files][len(loaded) :])
        raise LoadError(f"{exc}; loaded before it (kept): {done}; not loaded: {rest}") from exc
    return loaded


def _loaded(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    run_id: str,
    counts: dict[str, int],
    *,
    skipped: bool = False,
) -> LoadedRun:
    row = con.execute("select status, reason from runs where run_id = $r", {"r": run_id})
    status, reason = row.fetchone() or ("failed", None)
    return LoadedRun(run_id, source, status, reason, counts, skipped)


def _loaded_run_id(con: duckdb.DuckDBPyConnection, job: Path) -> str | None:
    """The job's run id if that run is in the database already, else None."""
    meta = read_json_file(job / RUN_FILE) or {}
    run_id = str(meta.get("run_id") or "")
    found = con.execute("select 1 from runs where run_id = $r", {"r": run_id}).fetchone()
    return run_id if run_id and found else None


def check_job(con: duckdb.DuckDBPyConnection, job_dir: str | Path) -> str:
    """The run id a job folder would load as, or a ``LoadError`` saying why it cannot.

    Cheap (no rows read), so every job of a load is checked before the first is loaded.
    """
    job = Path(job_dir)
    meta = read_json_file(job / RUN_FILE)
    if meta is None or not meta.get("run_id"):
        raise LoadError(f"{job} is not a feed job folder (no readable {RUN_FILE})")
    if not any(batch_files(job, table) for table in TABLES):
        raise LoadError(f"{job} holds no stored rows: nothing to load")
    run_id = str(meta["run_id"])
    if con.execute("select 1 from runs where run_id = $r", {"r": run_id}).fetchone():
        raise LoadError(f"{job}: run {run_id} is already in this database")
    return run_id


def check_jobs(con: duckdb.DuckDBPyConnection, jobs: list[Path]) -> None:
    """``check_job`` for each, and no run twice (a job folder copied under another name)."""
    seen: dict[str, Path] = {}
    for job in jobs:
        run_id = check_job(con, job)
        if run_id in seen:
            raise LoadError(f"{job} and {seen[run_id]} hold the same run {run_id}")
        seen[run_id] = job


def load_job(con: duckdb.DuckDBPyConnection, job_dir: str | Path) -> tuple[str, dict[str, int]]:
    """Bring a feed job folder in as the run it recorded; judged from the job's own stats.

    All in one transaction: a feed that cannot be read records no run at all. A job
    without ``stats.json`` never finished (killed, or still running) and loads ``partial``.
    """
    job = Path(job_dir)
    run_id = check_job(con, job)
    meta = read_json_file(job / RUN_FILE) or {}
    with transaction(con):
        start_run(
            con,
            run_id=run_id,
            start_url=str(meta.get("start_url") or ""),
            site=str(meta.get("site") or ""),
            settings=meta.get("scope") or {},
            started_at=_timestamp(meta.get("started_at")),
        )
        try:
            counts = load_parts(con, run_id, job)
        except duckdb.Error as exc:
            raise LoadError(f"cannot read {job}: {_first_line(exc)}") from exc
        finish_crawl_run(con, run_id, read_json_file(job / STATS_FILE))
    return run_id, counts


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _timestamp(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def check_items_file(path: str | Path) -> Path:
    """``path`` if it is a file with something in it, else a ``LoadError``."""
    source = Path(path)
    if not source.is_file() or source.stat().st_size == 0:
        raise LoadError(f"{source} is empty or not a file: nothing to load")
    return source


def load_items_file(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    start_url: str,
    stats: dict[str, object] | None,
) -> tuple[str, dict[str, int]]:
    """Bring Scrapy's own mixed feed (``-o items.jsonl``) in as a new run.

    Such a file carries no stats: without ``stats`` (``-s UNSILO_STATS_FILE=…`` of the same
    crawl) nobody can tell whether the crawl finished, so the run is ``partial``.
    """
    source = check_items_file(path)
    with transaction(con):
        recorded = (stats or {}).get("unsilo/scope")
        scope = dict(recorded) if isinstance(recorded, dict) else {"spider": "shop"}
        scope.update(start_url=start_url, loaded_from=str(source))
        host = urlsplit(start_url).hostname or ""
        run_id = start_run(con, start_url=start_url, site=registrable_domain(host), settings=scope)
        try:
            counts = load_feed_file(con, run_id, source)
        except duckdb.Error as exc:
            raise LoadError(f"cannot read {source}: {_first_line(exc)}") from exc
        if not any(n for table, n in counts.items() if table != UNROUTED):
            raise LoadError(f"{source} holds no unsilo items: nothing to load")
        finish_crawl_run(con, run_id, stats)
    return run_id, counts
