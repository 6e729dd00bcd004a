"""Load the SQL models under ``pipeline/sql/`` by name and run them with parameters.

SQL lives in files, one relation per file, so it can be read, diffed and tested as SQL;
Python only picks a file and passes values (``$run_id``), never formats SQL text.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import duckdb

SQL_PACKAGE = "unsilo.pipeline"
SQL_DIR = "sql"


def known_models() -> list[str]:
    """Names of every ``.sql`` file shipped in ``pipeline/sql/``."""
    folder = resources.files(SQL_PACKAGE).joinpath(SQL_DIR)
    return sorted(p.name.removesuffix(".sql") for p in folder.iterdir() if p.name.endswith(".sql"))


@cache
def load_sql(name: str) -> str:
    """The text of ``pipeline/sql/<name>.sql``; unknown names fail with the known ones listed."""
    path = resources.files(SQL_PACKAGE).joinpath(SQL_DIR, f"{name}.sql")
    if not path.is_file():
        raise KeyError(f"no SQL model {name!r}; known: {', '.join(known_models())}")
    return path.read_text(encoding="utf-8")


def run_sql(
    con: duckdb.DuckDBPyConnection, name: str, **params: object
) -> duckdb.DuckDBPyConnection:
    """Execute model ``name`` with named parameters (``$run_id`` in the SQL)."""
    return con.execute(load_sql(name), params or None)
