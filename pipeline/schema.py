"""Table schemas derived from the item dataclasses, so the items are the one source of truth.

``column_types(PageItem)`` gives DuckDB types per field (``list[str]`` → ``VARCHAR[]``,
``list[RedirectHop]`` → ``STRUCT(url VARCHAR, status BIGINT)[]``); ``create_table_sql``
adds the ``run_id`` key every stored row carries. The same mapping is handed to
``read_json(columns=…)`` when feed files are loaded, so a field missing from a line is
NULL rather than a column that comes and goes.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from decimal import Decimal
from functools import cache

from unsilo.items import ITEM_TYPES
from unsilo.signals.items import SIGNAL_ITEM_TYPES
from unsilo.social.items import SOCIAL_ITEM_TYPES

_SCALARS = {
    str: "VARCHAR",
    int: "BIGINT",
    float: "DOUBLE",
    bool: "BOOLEAN",
    Decimal: "DECIMAL(18,4)",  # money: exact; extractors keep values inside its range
}


def duckdb_type(tp: object) -> str:
    """Map one field annotation to a DuckDB type."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return duckdb_type(args[0])
    if origin is list:
        (inner,) = typing.get_args(tp)
        return f"{duckdb_type(inner)}[]"
    if dataclasses.is_dataclass(tp):
        fields = ", ".join(f'"{n}" {t}' for n, t in column_types(tp).items())
        return f"STRUCT({fields})"
    if tp in _SCALARS:
        return _SCALARS[tp]
    raise TypeError(f"no DuckDB type for {tp!r}")


@cache
def column_types(item_type: type) -> dict[str, str]:
    """Field name → DuckDB type, in declaration order."""
    hints = typing.get_type_hints(item_type)
    return {f.name: duckdb_type(hints[f.name]) for f in dataclasses.fields(item_type)}


def stored_columns(item_type: type) -> dict[str, str]:
    """The table's columns: ``run_id`` first, then the item's fields."""
    return {"run_id": "VARCHAR", **column_types(item_type)}


def create_table_sql(item_type: type) -> str:
    cols = ",\n  ".join(f'"{n}" {t}' for n, t in stored_columns(item_type).items())
    return f"CREATE TABLE IF NOT EXISTS {item_type.TABLE} (\n  {cols}\n)"


TABLES: dict[str, type] = {
    t.TABLE: t for t in (*ITEM_TYPES, *SOCIAL_ITEM_TYPES, *SIGNAL_ITEM_TYPES)
}


RUNS_SQL = """
CREATE TABLE IF NOT EXISTS runs (
  run_id VARCHAR PRIMARY KEY,
  start_url VARCHAR,
  site VARCHAR,                -- registrable domain the crawl stays on
  started_at TIMESTAMP,
  finished_at TIMESTAMP,
  status VARCHAR,              -- running | complete | partial | failed
  reason VARCHAR,              -- why partial/failed, or notes (e.g. blocked by robots.txt)
  settings JSON,               -- the crawl settings that matter (limits, user agent); never secrets
  pages BIGINT,                -- rows in pages
  html_pages BIGINT,
  errors BIGINT,               -- fetch failures + 4xx/5xx
  unsilo_version VARCHAR,
  duckdb_version VARCHAR,      -- the DuckDB that stored the run (a file needs one at least as new)
  crawl_whole BOOLEAN,         -- the shop crawl reached its own end (no limit, no interruption)
  analysed_at TIMESTAMP,       -- when its marts were last built (NULL: never analysed)
  pruned_at TIMESTAMP          -- when its raw rows were pruned (its totals in trends remain)
);
-- databases made before a column existed get it, empty for their old runs
ALTER TABLE runs ADD COLUMN IF NOT EXISTS duckdb_version VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS crawl_whole BOOLEAN;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS analysed_at TIMESTAMP;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pruned_at TIMESTAMP;
"""


BATCHES_SQL = """
CREATE TABLE IF NOT EXISTS run_batches (
  run_id VARCHAR,
  batch VARCHAR,               -- a job folder's part-NNNNNN, stored in the same transaction
  PRIMARY KEY (run_id, batch)  -- so no batch is ever stored twice
)
"""
