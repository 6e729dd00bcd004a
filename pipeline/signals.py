"""What the signals spider is handed, and what earlier runs still know.

The spider never reads the warehouse (like the social spider): this module reads one run's
pages in the order a per-URL source should ask about them, the shop's own profiles (so a
post by the shop counts as the shop's), and the answers of earlier runs that are still
fresh. After the spider, ``carry_forward`` copies those fresh answers into the run, marked
``reused``, so a source asked last week is not asked again and the run still shows it.

>>> signal_targets(con, run_id)[:2]  # doctest: +SKIP
['https://shop.example/', 'https://shop.example/produkter/krus']
"""

from __future__ import annotations

from typing import Any

import duckdb

from unsilo import clock
from unsilo.pipeline.db import transaction
from unsilo.pipeline.queries import load_sql, run_sql

SIGNAL_TABLES = ("url_signals", "signal_checks", "signal_sources")


def signal_targets(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """The run's indexable page URLs, most valuable first (after ``analyse``)."""
    return [row[0] for row in run_sql(con, "signal_targets", run_id=run_id).fetchall()]


def own_handles(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """The shop's claimed profiles as ``platform:handle`` (lower case)."""
    rows = run_sql(con, "claimed_profiles", run_id=run_id).fetchall()
    return sorted({f"{row[0]}:{row[1]}".lower() for row in rows if row[1]})


def fresh_answers(
    con: duckdb.DuckDBPyConnection, run_id: str, max_age_days: int
) -> dict[str, dict[str, Any]]:
    """``{source: {"domain": bool, "urls": [url_key, …]}}`` still fresh from earlier runs of
    the site: the spider's ``-a fresh``. ``max_age_days`` 0 reuses nothing."""
    fresh: dict[str, dict[str, Any]] = {}
    if max_age_days <= 0:
        return fresh
    params = {"run_id": run_id, "max_age_days": max_age_days, "now": clock.now()}
    for row in run_sql(con, "reusable_signal_checks", **params).fetchall():
        source, scope, target = row[1:4]
        entry = fresh.setdefault(source, {"domain": False, "urls": []})
        if scope == "domain":
            entry["domain"] = True
        else:
            entry["urls"].append(target)
    return fresh


def forget_signals(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Drop what the run holds of signals, before they are asked again for it."""
    for table in SIGNAL_TABLES:
        con.execute(f"DELETE FROM {table} WHERE run_id = $r", {"r": run_id})


def carry_forward(con: duckdb.DuckDBPyConnection, run_id: str, max_age_days: int) -> int:
    """Copy the fresh answers of earlier runs that this run did not ask itself into it,
    shares included, marked ``reused``; returns how many answers were copied.

    Call it after the signals spider stored its rows; one transaction.
    """
    if max_age_days <= 0:
        return 0
    checks = load_sql("reusable_signal_checks")
    with transaction(con):
        before = _count_reused(con, run_id)
        params = {"run_id": run_id, "max_age_days": max_age_days, "now": clock.now()}
        con.execute(f"INSERT INTO signal_checks BY NAME {checks}", params)
        copied = _count_reused(con, run_id) - before
        con.execute(
            f"INSERT INTO signal_sources BY NAME {load_sql('reused_signal_sources')}",
            {"run_id": run_id},
        )
        shares = load_sql("reused_url_signals")
        con.execute(
            "DELETE FROM url_signals WHERE run_id = $run_id AND status = 'reused'",
            {"run_id": run_id},
        )
        con.execute(f"INSERT INTO url_signals BY NAME {shares}", {"run_id": run_id})
    return copied


def _count_reused(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    row = con.execute(
        "SELECT count(*) FROM signal_checks WHERE run_id = $r AND status = 'reused'", {"r": run_id}
    ).fetchone()
    return int(row[0]) if row else 0
