"""Load the SQL files under ``pipeline/sql/`` by name and run them with parameters.

SQL lives in files, one relation per file, so it can be read, diffed and tested as SQL;
Python only picks a file and passes values (``$run_id``), never formats SQL text. The folder
a file sits in is its layer (``seeds/``, ``staging/``, ``marts/site/``, ``report/`` …, see
``unsilo.pipeline.models``); names are unique across folders, so callers need only the name.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.abc import Traversable

import duckdb

SQL_PACKAGE = "unsilo.pipeline"
SQL_DIR = "sql"


def sql_root() -> Traversable:
    """The shipped ``pipeline/sql/`` folder (a real folder, or a folder inside an egg)."""
    return resources.files(SQL_PACKAGE).joinpath(SQL_DIR)


def sql_files(root: Traversable) -> dict[str, tuple[str, str]]:
    """``{name: (folder, text)}`` for every ``.sql`` file below ``root``; folder is relative.

    A name used twice is an error: every caller finds a file by its name alone.
    """
    found: dict[str, tuple[str, str]] = {}
    pending: list[tuple[str, Traversable]] = [("", root)]
    while pending:
        folder, node = pending.pop()
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                pending.append((f"{folder}/{child.name}".lstrip("/"), child))
            elif child.name.endswith(".sql"):
                name = child.name.removesuffix(".sql")
                if name in found:
                    other = found[name][0]
                    raise ValueError(f"two SQL files are named {name}.sql: {other}/, {folder}/")
                found[name] = (folder, child.read_text(encoding="utf-8"))
    return found


@cache
def _shipped() -> dict[str, tuple[str, str]]:
    return sql_files(sql_root())


def macro_sql() -> list[str]:
    """The ``create temp macro`` files under ``macros/``, in name order."""
    return [text for _, (folder, text) in sorted(_shipped().items()) if folder == "macros"]


def known_models() -> list[str]:
    """Names of every ``.sql`` file shipped under ``pipeline/sql/``."""
    return sorted(_shipped())


def load_sql(name: str) -> str:
    """The text of the shipped file ``<name>.sql``; unknown names fail with the known ones."""
    try:
        return _shipped()[name][1]
    except KeyError:
        raise KeyError(f"no SQL model {name!r}; known: {', '.join(known_models())}") from None


def run_sql(
    con: duckdb.DuckDBPyConnection, name: str, **params: object
) -> duckdb.DuckDBPyConnection:
    """Execute model ``name`` with named parameters (``$run_id`` in the SQL)."""
    return con.execute(load_sql(name), params or None)
