"""Open the one embedded DuckDB file an audit lives in, with every table in place.

Callers get a connection whose tables already exist (``runs`` plus one per item type from
``unsilo.pipeline.schema``) and whose SQL macros are registered, so no other module ever has to
ask "is the table there yet?". A path
that cannot be opened becomes a ``StorageError`` that names the path and the reason, because
under cron a raw DuckDB traceback is the least helpful thing to find in a log.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from unsilo.pipeline.queries import macro_sql
from unsilo.pipeline.schema import BATCHES_SQL, RUNS_SQL, TABLES, create_table_sql
from unsilo.pipeline.upgrade import upgrade_item_tables

MEMORY = ":memory:"


class StorageError(RuntimeError):
    """The database (or a file next to it) cannot be opened or written."""


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open or create the database at ``path`` (``":memory:"`` allowed) with all tables.

    >>> con = connect(":memory:")
    >>> sorted(r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall())
    ['links', 'page_social', 'pages', 'profile_links', 'run_batches', 'runs', 'sitemap_urls']
    """
    target = str(path)
    try:
        if target != MEMORY:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(target)
    except (OSError, duckdb.Error) as exc:
        raise StorageError(f"cannot open database {target}: {_reason(exc)}") from exc
    try:
        create_tables(con)
        prepare_connection(con)
    except duckdb.Error as exc:
        con.close()
        raise StorageError(f"cannot open database {target}: {_reason(exc)}") from exc
    return con


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """``BEGIN`` … ``COMMIT``, rolled back when the body or the ``COMMIT`` fails.

    The error raised is always the one that failed: a ``COMMIT`` DuckDB refuses (a full
    disk, say) has already ended the transaction, and the ``ROLLBACK`` after it fails with
    "no transaction is active", which would otherwise hide the real reason.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


def prepare_connection(con: duckdb.DuckDBPyConnection) -> None:
    """Register the SQL macros (``pipeline/sql/macros/``) every model and query may use.

    Like Datasette's ``prepare_connection`` hook: rules several models share (text caps, meta
    lookups, host and section rules) are written once, as temporary macros that live as long
    as the connection and never enter the database file. ``connect`` calls it; a caller with
    a connection of its own (tests, notebooks) calls it once after opening.
    """
    for text in macro_sql():
        con.execute(text)


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``runs`` and every item table if missing, and bring older tables up to date.

    Existing rows are kept; a field an item gained since the table was created becomes a
    column (see ``upgrade_item_tables``).
    """
    con.execute(RUNS_SQL)
    con.execute(BATCHES_SQL)
    for item_type in TABLES.values():
        con.execute(create_table_sql(item_type))
    upgrade_item_tables(con)


def database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind ``con``, or None for an in-memory database.

    Lets run bookkeeping find the lock file next to the database without every caller
    threading the path through.
    """
    row = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    if row is None or row[0] is None or row[0] in ("", MEMORY):
        return None
    return Path(row[0])


@dataclass(frozen=True, slots=True)
class DatabaseFile:
    """Which DuckDB writes the database file, and which DuckDB a reader needs to open it.

    DuckDB opens files written by older versions, but not always files written by newer
    ones: a file created by DuckDB 2.0 uses storage format v2.0.0, which DuckDB 1.x cannot
    read, while a file created by DuckDB 1.x stays in its format when 2.0 writes to it.
    """

    duckdb_version: str  # the library with the file open, e.g. "1.4.2"
    readable_from: str | None  # the oldest DuckDB that opens the file, e.g. "1.0.0"; None in memory


def database_file(con: duckdb.DuckDBPyConnection) -> DatabaseFile:
    """The DuckDB version at work on ``con`` and the oldest one that can open its file.

    >>> database_file(connect(":memory:")).readable_from is None
    True
    """
    (library,) = con.execute("select library_version from pragma_version()").fetchone() or ("",)
    row = con.execute(
        "select tags['storage_version'] from duckdb_databases() "
        "where database_name = current_database()"
    ).fetchone()
    storage = row[0] if row and isinstance(row[0], str) else None  # "v1.0.0+", or none
    return DatabaseFile(
        duckdb_version=str(library).removeprefix("v"),
        readable_from=storage.removeprefix("v").removesuffix("+") if storage else None,
    )


def _reason(exc: BaseException) -> str:
    """The first line of an error, without DuckDB's ``IO Error:``-style class prefix noise."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return text


def release_free_memory() -> None:
    """Hand the memory a finished crawl freed back to the system before DuckDB stores it.

    CPython and glibc keep freed heap pages for reuse, so without this the batches are stored
    on top of the crawl's high-water mark: at 10,000 pages the peak RSS fell from 242 to
    218 MB (the bare spider's is 165 MB). ``malloc_trim`` exists only in glibc; elsewhere this
    is a no-op.
    """
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS, Windows)
        return
