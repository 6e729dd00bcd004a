"""Open the one embedded DuckDB file an audit lives in, with every table in place.

Callers get a connection whose tables already exist (``runs`` plus one per item type from
``unsilo.pipeline.schema``) and whose SQL macros are registered, so no other module ever has to
ask "is the table there yet?". A path
that cannot be opened becomes a ``StorageError`` that names the path and the reason, because
under cron a raw DuckDB traceback is the least helpful thing to find in a log.
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from unsilo.pipeline.queries import macro_sql
from unsilo.pipeline.schema import BATCHES_SQL, RUNS_SQL, TABLES, column_types, create_table_sql
from unsilo.urls import http_url_key, url_domain

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


def upgrade_item_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Give a database written by an older unsilo the columns and struct fields items gained.

    A missing column is added (NULL in old rows). A struct that gained a field is widened
    in place: DuckDB casts structs by field name, so old rows read NULL for the new field.
    Without the widening, ``INSERT … BY NAME`` would silently drop the new field.
    """
    for table, item_type in TABLES.items():
        have = dict(
            con.execute(
                "select column_name, data_type from duckdb_columns() "
                "where table_name = $table and schema_name = current_schema()",
                {"table": table},
            ).fetchall()
        )
        for name, wanted in column_types(item_type).items():
            if name not in have:
                con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {wanted}')
                _backfill(con, table, name)
            elif have[name] != _normalised_type(con, wanted):
                con.execute(f'ALTER TABLE {table} ALTER COLUMN "{name}" TYPE {wanted}')
                _backfill(con, table, name)


def _normalised_type(con: duckdb.DuckDBPyConnection, type_sql: str) -> str:
    """DuckDB's own spelling of ``type_sql`` (field names unquoted), to compare with a column's."""
    row = con.execute(f"select typeof(cast(null as {type_sql}))").fetchone()
    return str(row[0]) if row else type_sql


_FIRST_OG_URL = "list_filter(og, lambda m: m.property = 'og:url' and m.content <> '')[1].content"
_DOMAINS_OF = (
    "coalesce(list_distinct(list_filter(list_transform({}, lambda u: old_url_domain(u)), "
    "lambda d: d is not null)), [])"
)

# Facts an older unsilo stored only as text, typed once when their column arrives. This is
# the one place that still reads the message wording, and it runs once per database.
_BACKFILLS: dict[tuple[str, str], str | tuple[str, str]] = {
    ("pages", "error_kind"): """
        update pages set error_kind = case
            when error like 'robots.txt%' then 'robots'
            when error like 'dns lookup failed%' then 'dns'
            when error like 'timeout%' then 'timeout'
            when error like 'connection refused%' then 'refused'
            when error like 'redirect loop%' then 'bad-redirect'
            when error like 'download cancelled%' or error like 'response too large%'
                then 'too-large'
            else 'other'
        end
        where error is not null
    """,
    # Join keys and registrable domains of rows stored before their columns existed. Each
    # entry's first query lists the raw URLs involved; unsilo.urls computes their keys and
    # domains once (the functions the extractors use), handed to SQL as two maps that the
    # update reads through old_url_key() / old_url_domain(): models never parse URLs.
    ("pages", "final_url_domain"): (
        "select final_url from pages where final_url is not null",
        "update pages set final_url_domain = old_url_domain(final_url)",
    ),
    ("pages", "hreflang"): (
        "select h.url from (select unnest(hreflang) as h from pages)",
        """update pages set hreflang = list_transform(hreflang, lambda h: struct_pack(
            lang := h.lang, url := h.url, source := h.source, valid := h.valid,
            url_key := old_url_key(h.url)))
        where len(hreflang) > 0""",
    ),
    ("page_social", "og_url_key"): (
        f"select {_FIRST_OG_URL} from page_social",
        f"update page_social set og_url_key = old_url_key({_FIRST_OG_URL})",
    ),
    ("page_social", "share_links"): (
        "select l.url from (select unnest(share_links) as l from page_social)",
        """update page_social set share_links = list_transform(share_links, lambda l: struct_pack(
            platform := l.platform, url := l.url, domain := old_url_domain(l.url)))
        where len(share_links) > 0""",
    ),
    ("profile_links", "domain"): (
        "select profile_url from profile_links",
        "update profile_links set domain = old_url_domain(profile_url)",
    ),
    ("profiles", "link_domains"): (
        "select unnest(list_filter([website], lambda u: u is not null) || links_in_bio) "
        "from profiles",
        f"update profiles set link_domains = {_DOMAINS_OF.format('[website] || links_in_bio')}",
    ),
    ("profiles", "verified_domains"): (
        "select unnest(verified_links) from profiles",
        f"update profiles set verified_domains = {_DOMAINS_OF.format('verified_links')}",
    ),
    ("post_links", "domain"): (
        "select url from post_links",
        "update post_links set domain = old_url_domain(url)",
    ),
    ("post_links", "resolved_domain"): (
        "select resolved_url from post_links",
        "update post_links set resolved_domain = old_url_domain(resolved_url)",
    ),
}


def _backfill(con: duckdb.DuckDBPyConnection, table: str, column: str) -> None:
    """Fill a column an older unsilo did not store, for the rows it wrote."""
    backfill = _BACKFILLS.get((table, column))
    if backfill is None:
        return
    if isinstance(backfill, str):
        con.execute(backfill)
        return
    urls_sql, update_sql = backfill
    rows = con.execute(f"select distinct u from ({urls_sql}) as t(u) where u is not null")
    _set_url_lookups(con, [url for (url,) in rows.fetchall()])
    con.execute(update_sql)


def _set_url_lookups(con: duckdb.DuckDBPyConnection, urls: list[str]) -> None:
    """Hand SQL the keys and domains of ``urls`` as maps, read by two temporary macros."""
    keys = [_quietly(http_url_key, url) for url in urls]
    domains = [_quietly(url_domain, url) for url in urls]
    # typed lists: an empty one would otherwise be INTEGER[] on DuckDB 1.4
    con.execute(
        "set variable unsilo_url_keys = map($urls::varchar[], $keys::varchar[])",
        {"urls": urls, "keys": keys},
    )
    con.execute(
        "set variable unsilo_url_domains = map($urls::varchar[], $domains::varchar[])",
        {"urls": urls, "domains": domains},
    )
    con.execute(
        "create or replace temp macro old_url_key(u) as "
        "map_extract_value(getvariable('unsilo_url_keys'), u)"
    )
    con.execute(
        "create or replace temp macro old_url_domain(u) as "
        "map_extract_value(getvariable('unsilo_url_domains'), u)"
    )


def _quietly(func: Callable[[str], str | None], url: str) -> str | None:
    """``func(url)``, or None: one malformed old URL must not stop an upgrade."""
    try:
        return func(url)
    except ValueError:
        return None


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
