"""Reading the run history: every run, the newest of a kind, the one a resume continues.

Read-only questions about the ``runs`` table; deciding and recording a run's status is
``unsilo.pipeline.runs``' job alone.
"""

from __future__ import annotations

import json

import duckdb


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
    """The newest run id with one of ``status`` that holds pages, or None when there is none.

    A run without pages (a failed start, an empty ``scrapy crawl social``) has nothing to
    report or ask about, so it never becomes "the latest".
    """
    row = con.execute(
        """
        select run_id from runs where list_contains($statuses, status) and pages > 0
        order by started_at desc, run_id desc limit 1
        """,
        {"statuses": list(status)},
    ).fetchone()
    return row[0] if row else None


def resumable_run(con: duckdb.DuckDBPyConnection, start_url: str) -> str | None:
    """The newest run of ``start_url`` that stopped before its end (partial), if any."""
    row = con.execute(
        """
        select run_id from runs
        where start_url = $url and status in ('partial', 'running')
          and coalesce(json_extract_string(settings, '$.spider'), 'shop') = 'shop'
        order by started_at desc, run_id desc limit 1
        """,
        {"url": start_url},
    ).fetchone()
    return row[0] if row else None
