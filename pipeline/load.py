"""Bring crawls made elsewhere into the database: job folders and Scrapy's mixed feeds.

Scrapy's mixed ``-o items.jsonl`` streams in through ``unsilo.pipeline.mixed_feed``; job
folders (``unsilo.pipeline.feeds``) load with ``load_parts``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from unsilo.pipeline.feeds import RUN_FILE, STATS_FILE, batch_files, load_parts, read_json_file
from unsilo.pipeline.mixed_feed import UNROUTED, load_feed_file
from unsilo.pipeline.runs import finish_crawl_run, start_run
from unsilo.pipeline.schema import TABLES
from unsilo.urls import registrable_domain


class LoadError(RuntimeError):
    """A feed that cannot become a run (absent, empty, unreadable, already loaded)."""


def load_job(con: duckdb.DuckDBPyConnection, job_dir: str | Path) -> tuple[str, dict[str, int]]:
    """Bring a feed job folder in as the run it recorded; judged from the job's own stats.

    All in one transaction: a feed that cannot be read records no run at all. A job
    without ``stats.json`` never finished (killed, or still running) and loads ``partial``.
    """
    job = Path(job_dir)
    meta = read_json_file(job / RUN_FILE)
    if meta is None or not meta.get("run_id"):
        raise LoadError(f"{job} is not a feed job folder (no readable {RUN_FILE})")
    if not any(batch_files(job, table) for table in TABLES):
        raise LoadError(f"{job} holds no stored rows: nothing to load")
    run_id = str(meta["run_id"])
    if con.execute("select 1 from runs where run_id = $r", {"r": run_id}).fetchone():
        raise LoadError(f"run {run_id} is already in this database")
    con.execute("BEGIN TRANSACTION")
    try:
        start_run(
            con,
            run_id=run_id,
            start_url=str(meta.get("start_url") or ""),
            site=str(meta.get("site") or ""),
            settings=meta.get("scope") or {},
            started_at=_timestamp(meta.get("started_at")),
        )
        counts = load_parts(con, run_id, job)
        finish_crawl_run(con, run_id, read_json_file(job / STATS_FILE))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return run_id, counts


def _timestamp(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


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
    source = Path(path)
    if not source.is_file() or source.stat().st_size == 0:
        raise LoadError(f"{source} is empty or not a file: nothing to load")
    con.execute("BEGIN TRANSACTION")
    try:
        recorded = (stats or {}).get("unsilo/scope")
        scope = dict(recorded) if isinstance(recorded, dict) else {"spider": "shop"}
        scope.update(start_url=start_url, loaded_from=str(source))
        host = urlsplit(start_url).hostname or ""
        run_id = start_run(con, start_url=start_url, site=registrable_domain(host), settings=scope)
        try:
            counts = load_feed_file(con, run_id, source)
        except duckdb.Error as exc:
            raise LoadError(f"cannot read {source}: {str(exc).splitlines()[0]}") from exc
        if not any(n for table, n in counts.items() if table != UNROUTED):
            raise LoadError(f"{source} holds no unsilo items: nothing to load")
        finish_crawl_run(con, run_id, stats)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return run_id, counts
