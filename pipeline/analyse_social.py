"""Turn one run's social tables into the profile marts the report reads.

Like ``unsilo.pipeline.analyse``: the SQL models hold the logic, this module orders them and swaps
the run's rows in one transaction (idempotent; other runs untouched). It reads the marts
``page_facts`` and ``shop_profiles``, so call it right after ``analyse``.

>>> analyse_social(con, "2026-11-run")  # doctest: +SKIP
{'profile_post_links': 85, 'profile_health': 6, 'shop_post_links': 5}
"""

from __future__ import annotations

import duckdb

from unsilo.pipeline.analyse import _ensure_raw_tables, _rebuild_mart

SOCIAL_MARTS: tuple[str, ...] = ("profile_post_links", "profile_health", "shop_post_links")
"""In dependency order: the per-link landing facts feed both profile and page views."""

REQUIRED_MARTS: tuple[str, ...] = ("page_facts", "shop_profiles")


def analyse_social(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """(Re)build the social marts for ``run_id`` and return the row count of each.

    Call it outside a transaction, after ``analyse`` built ``page_facts`` and
    ``shop_profiles``; a run without any social rows analyses to empty marts.
    """
    missing = [m for m in REQUIRED_MARTS if not _has_table(con, m)]
    if missing:
        raise RuntimeError(f"run pipeline.analyse.analyse first: missing marts {missing}")
    con.execute("BEGIN TRANSACTION")
    try:
        _ensure_raw_tables(con)
        counts = {mart: _rebuild_mart(con, mart, run_id) for mart in SOCIAL_MARTS}
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "select count(*) from duckdb_tables() where table_name = $n", {"n": name}
    ).fetchone()
    return bool(row and row[0])
