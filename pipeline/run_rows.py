"""A run's row in the ``runs`` table: a new id, ``start_run``, ``reopen_run``, ``finish_run``.

These write what they are told and decide nothing: which status and reason a run ends
with is ``pipeline/runs.py``'s decision (``finish_crawl_run``, ``mark_stale_runs``).
``finish_run`` computes the counts in SQL from the rows actually stored, never from what a
crawler believes it sent, so a run killed half way still reports what survived. Secrets
never reach the table: ``start_run`` records the settings through ``public_settings``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import datetime
from importlib import metadata

import duckdb

from unsilo import clock
from unsilo.pipeline.run_scope import public_settings

STATUSES = ("running", "complete", "partial", "failed")

_COUNTS_SQL = """
update runs set
  finished_at = $finished_at,
  status = $status,
  reason = $reason,
  crawl_whole = $crawl_whole,
  pages = (select count(*) from pages where run_id = $run_id),
  html_pages = (select count(*) from pages where run_id = $run_id and is_html),
  errors = (select count(*) from pages
            where run_id = $run_id and (error is not null or status >= 400))
where run_id = $run_id
"""


def new_run_id(now: datetime | None = None) -> str:
    """A run id that sorts by start time: ``2026-11-23T115000Z-ab12cd``.

    The random suffix keeps two runs started in the same second apart.
    """
    stamp = (now or clock.now()).strftime("%Y-%m-%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def start_run(
    con: duckdb.DuckDBPyConnection,
    *,
    start_url: str,
    site: str,
    settings: Mapping[str, object],
    run_id: str | None = None,
    started_at: datetime | None = None,
) -> str:
    """Insert a ``running`` row and return its run id (new unless a feed brings its own)."""
    run_id = run_id or new_run_id()
    con.execute(
        """
        insert into runs (
            run_id, start_url, site, started_at, status, settings, unsilo_version, duckdb_version
        )
        values ($run_id, $start_url, $site, $started_at, 'running', $settings, $version, $duckdb)
        """,
        {
            "run_id": run_id,
            "start_url": start_url,
            "site": site,
            "started_at": started_at or _utcnow(),
            "settings": json.dumps(public_settings(settings), default=str, ensure_ascii=False),
            "version": run_version(),
            "duckdb": duckdb.__version__,
        },
    )
    return run_id


def reopen_run(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    """Set a stopped run ``running`` again, for a crawl that continues it; False if unknown.

    Its analysis no longer matches its pages, so it counts as never analysed until it is.
    """
    row = con.execute(
        "update runs set status = 'running', finished_at = null, reason = null, "
        "crawl_whole = null, analysed_at = null "
        "where run_id = $r returning run_id",
        {"r": run_id},
    ).fetchone()
    return row is not None


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    reason: str | None = None,
    *,
    crawl_whole: bool | None = None,
) -> None:
    """Close a run: final status, reason, finish time and counts from the stored rows.

    ``crawl_whole`` records whether the shop crawl itself reached its own end (default: the
    run is complete): checks that need every page (sitemap orphans, hreflang return links)
    trust only such a crawl, whatever the follow-up steps did.
    """
    if status not in STATUSES or status == "running":
        raise ValueError(f"cannot finish a run as {status!r}; use complete, partial or failed")
    params = {
        "run_id": run_id,
        "status": status,
        "reason": reason,
        "finished_at": _utcnow(),
        "crawl_whole": status == "complete" if crawl_whole is None else crawl_whole,
    }
    if not con.execute("select 1 from runs where run_id = $run_id", {"run_id": run_id}).fetchone():
        raise KeyError(f"no run {run_id!r} in this database")
    con.execute(_COUNTS_SQL, params)


def run_version() -> str:
    """The installed unsilo version (metadata, not ``unsilo.__version__``: under pytest a
    ``tests/unsilo`` folder can shadow the package as a namespace package)."""
    try:
        return metadata.version("unsilo")
    except metadata.PackageNotFoundError:
        return "unknown"


def _utcnow() -> datetime:
    """Naive UTC (the ``runs`` columns are ``TIMESTAMP``), on the run's clock (``unsilo.clock``)."""
    return clock.utcnow_naive()
