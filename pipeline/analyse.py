"""Turn one run's raw crawl tables into the marts the report reads.

The SQL models under ``pipeline/sql/`` hold all the logic; this module only orders them,
scopes them to one run and swaps that run's mart rows in one transaction, so a report never
sees half an analysis and other runs are never touched. Re-running is idempotent.

>>> counts = analyse(con, "2026-11-run")  # doctest: +SKIP
>>> counts["page_levels"]  # doctest: +SKIP
1234
"""

from __future__ import annotations

import duckdb

from unsilo.pipeline.db import create_tables
from unsilo.pipeline.queries import load_sql

CATALOGUES: tuple[str, ...] = ("check_catalogue", "level_points")
"""Run-independent lookup tables, rebuilt from their VALUES models on every analysis."""

FINDING_MODELS: tuple[str, ...] = (
    "findings_status",
    "findings_links",
    "findings_content",
    "findings_canonical",
)
"""One model per family of checks; each yields (run_id, url, url_key, check, message, detail)."""

MARTS: tuple[str, ...] = (
    "page_facts",
    "shop_profiles",
    "findings",
    "page_levels",
    "section_levels",
)
"""Per-run marts in dependency order: later models read the earlier marts of the same run."""

_FINDING_ROWS_SQL = """
CREATE OR REPLACE TEMP TABLE finding_rows (
  run_id VARCHAR, url VARCHAR, url_key VARCHAR, "check" VARCHAR, message VARCHAR, detail VARCHAR
)
"""


def analyse(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """(Re)build every mart for ``run_id`` and return the row count of each.

    Missing raw or mart tables are created, so a run with zero pages analyses to empty marts.
    The work runs in its own transaction: call it outside one. A column a model gained since
    the mart table was created is added to it (NULL for older runs).
    """
    con.execute("BEGIN TRANSACTION")
    try:
        _ensure_raw_tables(con)
        _build_catalogues(con)
        counts = {}
        for mart in MARTS:
            if mart == "findings":
                _collect_finding_rows(con, run_id)
            counts[mart] = _rebuild_mart(con, mart, run_id)
        con.execute("DROP TABLE IF EXISTS finding_rows")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts


def _model_query(name: str) -> str:
    """The model's text as a subquery-ready statement (no trailing semicolon)."""
    return load_sql(name).strip().rstrip(";")


def _ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create absent raw tables (and columns) so any run, old or empty, still analyses."""
    create_tables(con)


def _build_catalogues(con: duckdb.DuckDBPyConnection) -> None:
    for name in CATALOGUES:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {_model_query(name)}")


def _collect_finding_rows(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    con.execute(_FINDING_ROWS_SQL)
    for name in FINDING_MODELS:
        con.execute(
            # every family yields (url, url_key, check, message, detail); the run id, the
            # types and the cap on crawled detail text are applied here, once for all
            "INSERT INTO finding_rows BY NAME "
            'SELECT $run_id AS run_id, url, url_key, "check", message, left(detail, 500) AS detail '
            f"FROM ({_model_query(name)})",
            {"run_id": run_id},
        )


def _rebuild_mart(con: duckdb.DuckDBPyConnection, mart: str, run_id: str) -> int:
    """Replace this run's rows of ``mart`` with what its model yields now."""
    query = _model_query(mart)
    params = {"run_id": run_id}
    con.execute(f"CREATE TABLE IF NOT EXISTS {mart} AS SELECT * FROM ({query}) LIMIT 0", params)
    _add_new_columns(con, mart, query, params)
    con.execute(f"DELETE FROM {mart} WHERE run_id = $run_id", params)
    con.execute(f"INSERT INTO {mart} BY NAME SELECT * FROM ({query})", params)
    row = con.execute(f"SELECT count(*) FROM {mart} WHERE run_id = $run_id", params).fetchone()
    return int(row[0]) if row else 0


def _add_new_columns(
    con: duckdb.DuckDBPyConnection, mart: str, query: str, params: dict[str, object]
) -> None:
    """Let a database written by an older unsilo take the columns a model has gained since."""
    model = con.execute(f"DESCRIBE SELECT * FROM ({query})", params).fetchall()
    have = {row[0] for row in con.execute(f"DESCRIBE {mart}").fetchall()}
    for name, col_type, *_ in model:
        if name not in have:
            con.execute(f'ALTER TABLE {mart} ADD COLUMN "{name}" {col_type}')
