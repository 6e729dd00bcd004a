"""Bring a database written by an older unsilo up to date: new columns, wider structs, backfills.

``unsilo.pipeline.db.connect`` runs ``upgrade_item_tables`` on every open and the analysis runs
``align_columns`` on each mart it rebuilds, so a monthly database that spans several unsilo
versions keeps every run readable and comparable. Facts newer versions store as typed columns
(an error kind, join keys, registrable domains) are filled in for old rows once, with the same
Python functions the extractors use, so no model ever has to parse a URL or read a message.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from unsilo.pipeline.schema import TABLES, column_types
from unsilo.urls import http_url_key, url_domain


def upgrade_item_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Give a database written by an older unsilo the columns and struct fields items gained.

    A missing column is added (NULL in old rows). A struct that gained a field is widened
    in place: DuckDB casts structs by field name, so old rows read NULL for the new field.
    Without the widening, ``INSERT … BY NAME`` would silently drop the new field.
    """
    for table, item_type in TABLES.items():
        for name in align_columns(con, table, column_types(item_type)):
            _backfill(con, table, name)


def align_columns(con: duckdb.DuckDBPyConnection, table: str, wanted: dict[str, str]) -> list[str]:
    """Add the columns of ``wanted`` that ``table`` lacks and widen those whose type grew.

    A new column is NULL in older rows. A struct that gained a field is widened in place:
    DuckDB casts structs by field name, so old rows read NULL for the new field, while
    ``INSERT … BY NAME`` into the narrower type would silently drop it. Item tables (typed
    from their dataclasses) and marts (typed by their model's query) both come here.
    Returns the names added or widened.
    """
    have = dict(
        con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where table_name = $table and schema_name = current_schema()",
            {"table": table},
        ).fetchall()
    )
    changed = []
    for name, type_sql in wanted.items():
        if name not in have:
            con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {type_sql}')
        elif have[name] != type_sql and have[name] != _normalised_type(con, type_sql):
            con.execute(f'ALTER TABLE {table} ALTER COLUMN "{name}" TYPE {type_sql}')
        else:
            continue
        changed.append(name)
    return changed


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
