"""Run bookkeeping: one ``runs`` row per crawl, from start to a final status and counts.

A run starts ``running`` and ends ``complete``, ``partial`` or ``failed``. Counts are
computed in SQL from the rows actually stored, never from what a crawler believes it
sent, so a run killed half way still reports what survived once ``mark_stale_runs`` has
closed it. Secrets never reach the table: ``start_run`` filters the settings it records.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import metadata

import duckdb

from unsilo.pipeline.db import database_path
from unsilo.pipeline.lock import is_held, lock_path, read_holder

STATUSES = ("running", "complete", "partial", "failed")
SECRET_WORDS = ("token", "secret", "password", "passwd", "key", "auth", "credential", "cookie")
STALE_REASON = "interrupted: the process stopped without finishing the run"

_COUNTS_SQL = """
update runs set
  finished_at = $finished_at,
  status = $status,
  reason = $reason,
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
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def public_settings(settings: Mapping[str, object]) -> dict[str, object]:
    """``settings`` without any key that looks secret, at any depth.

    A key is dropped when its lower-cased name contains one of ``SECRET_WORDS`` (token,
    secret, password, passwd, key, auth, credential, cookie). This is deliberately greedy:
    losing a harmless ``sort_key`` from the record costs nothing, storing an API key does.
    """
    clean: dict[str, object] = {}
    for name, value in settings.items():
        if any(word in str(name).lower() for word in SECRET_WORDS):
            continue
        clean[str(name)] = public_settings(value) if isinstance(value, Mapping) else value
    return clean


def start_run(
    con: duckdb.DuckDBPyConnection, *, start_url: str, site: str, settings: Mapping[str, object]
) -> str:
    """Insert a ``running`` row and return its new run id."""
    run_id = new_run_id()
    con.execute(
        """
        insert into runs (run_id, start_url, site, started_at, status, settings, unsilo_version)
        values ($run_id, $start_url, $site, $started_at, 'running', $settings, $version)
        """,
        {
            "run_id": run_id,
            "start_url": start_url,
            "site": site,
            "started_at": _utcnow(),
            "settings": json.dumps(public_settings(settings), default=str, ensure_ascii=False),
            "version": _version(),
        },
    )
    return run_id


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, status: str, reason: str | None = None
) -> None:
    """Close a run: final status, reason, finish time and counts from the stored rows."""
    if status not in STATUSES or status == "running":
        raise ValueError(f"cannot finish a run as {status!r}; use complete, partial or failed")
    params = {"run_id": run_id, "status": status, "reason": reason, "finished_at": _utcnow()}
    if not con.execute("select 1 from runs where run_id = $run_id", {"run_id": run_id}).fetchone():
        raise KeyError(f"no run {run_id!r} in this database")
    con.execute(_COUNTS_SQL, params)


def list_runs(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """Every run, newest first, as plain dicts (``settings`` parsed back from JSON)."""
    cur = con.execute("select * from runs order by started_at desc, run_id desc")
    names = [d[0] for d in cur.description]
    runs = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for run in runs:
        if isinstance(run.get("settings"), str):
            run["settings"] = json.loads(run["settings"])
    return runs


def latest_run(
    con: duckdb.DuckDBPyConnection, *, status: tuple[str, ...] = ("complete", "partial")
) -> str | None:
    """The newest run id with one of ``status``, or None when there is none."""
    row = con.execute(
        """
        select run_id from runs where list_contains($statuses, status)
        order by started_at desc, run_id desc limit 1
        """,
        {"statuses": list(status)},
    ).fetchone()
    return row[0] if row else None


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
    Stale runs become ``partial`` with the counts of what was stored before they stopped.
    """
    path = database_path(con)
    if path is None:
        return 0
    live_run = None
    if is_held(path):
        holder = read_holder(lock_path(path))
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
        finish_run(con, run_id, "partial", STALE_REASON)
    return len(stale)


def _version() -> str:
    """The installed unsilo version (metadata, not ``unsilo.__version__``: under pytest a
    ``tests/unsilo`` folder can shadow the package as a namespace package)."""
    try:
        return metadata.version("unsilo")
    except metadata.PackageNotFoundError:
        return "unknown"


def _utcnow() -> datetime:
    """Naive UTC, because the ``runs`` columns are ``TIMESTAMP`` (no time zone)."""
    return datetime.now(UTC).replace(tzinfo=None)
