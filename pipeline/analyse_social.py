"""Turn one run's social tables into the profile marts the report reads.

Like ``unsilo.pipeline.analyse``: the SQL models under ``pipeline/sql/marts/social/`` hold the
logic and their order comes from what each reads; the run's rows are swapped in one transaction
(idempotent; other runs untouched). They read the site marts ``page_facts`` and
``shop_profiles``, so call it right after ``analyse``.

>>> analyse_social(con, "2026-11-run")  # doctest: +SKIP
{'profile_post_links': 85, 'profile_health': 6, 'shop_post_links': 5}
"""

from __future__ import annotations

import duckdb

from unsilo.pipeline.analyse import build_stage

REQUIRED_MARTS: tuple[str, ...] = ("page_facts", "shop_profiles")


def analyse_social(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """(Re)build the social marts for ``run_id`` and return the row count of each.

    Call it outside a transaction, after ``analyse`` built ``page_facts`` and
    ``shop_profiles``; a run without any social rows analyses to empty marts.
    """
    missing = [m for m in REQUIRED_MARTS if not _has_table(con, m)]
    if missing:
        raise RuntimeError(f"run pipeline.analyse.analyse first: missing marts {missing}")
    return build_stage(con, "social", run_id)


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "select count(*) from duckdb_tables() where table_name = $n", {"n": name}
    ).fetchone()
    return bool(row and row[0])
