"""JSON-lines feeds: the one format items travel in, and the one path that loads them.

``ItemStore`` writes each batch as a JSON-lines file and loads it with a single
``INSERT … SELECT … FROM read_json(…)``; ``load_feeds`` runs the same statement over feed
files written elsewhere (a Scrapyd box, an earlier crash), so "exported then loaded later"
and "stored directly" give the same rows by construction.

Layout: ``<feed_dir>/<table>/<part>.jsonl``, one feed_dir per run. ``load_feed_file`` also
takes a mixed file as Scrapy's own exporter writes it (``-o items.jsonl``): each line goes
to the table named by its ``"_table"`` field if it has one, else to the first table (in
``ITEM_TYPES`` order) owning one of the line's keys that no other item type has. Lines
that match no table are counted under ``"unrouted"``, never guessed into a table.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import types
import typing
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import duckdb

try:
    import orjson
except ImportError:  # optional speed-up; the standard library gives the same lines
    orjson = None  # type: ignore[assignment]

from unsilo.items import PageRecord
from unsilo.pipeline.schema import TABLES, column_types, duckdb_type

UNROUTED = "unrouted"

_FFFD = "\ufffd".encode()


def _replace_surrogates(exc: UnicodeError) -> tuple[bytes, int]:
    """Encode error handler: each lone surrogate becomes U+FFFD (bytes: CPython's UTF-8
    encoder only accepts ASCII text from a handler)."""
    assert isinstance(exc, UnicodeEncodeError)
    return _FFFD * (exc.end - exc.start), exc.end


codecs.register_error("unsilo_fffd", _replace_surrogates)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _as_dict(obj: object) -> dict[str, object]:
    """``json`` hook for (nested) item dataclasses: a shallow dict, no deep copy.

    ``dataclasses.asdict`` deep-copies every value; the C encoder already walks lists
    and calls back here for each nested dataclass: about 1.5x faster (measured).
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {name: getattr(obj, name) for name in _field_names(type(obj))}
    raise TypeError(f"cannot serialise {type(obj).__name__} into a feed")


_encoder = json.JSONEncoder(ensure_ascii=False, default=_as_dict, separators=(",", ":"))


def serialize(items: Iterable[object]) -> bytes:
    """Items as UTF-8 JSON lines.

    orjson (when installed) encodes slotted dataclasses natively, several times faster
    than the standard library. Crawled text may hold lone surrogates (undecodable bytes
    smuggled through); they are not valid UTF-8, orjson refuses them and DuckDB would
    reject the batch, so such a batch takes the standard-library path, where they become
    U+FFFD.
    """
    batch = items if isinstance(items, list) else list(items)
    if orjson is not None:
        try:
            return b"".join(orjson.dumps(item, option=orjson.OPT_APPEND_NEWLINE) for item in batch)
        except TypeError:
            pass  # lone surrogate or a foreign object: the careful path decides
    return serialize_stdlib(batch)


def serialize_stdlib(items: Iterable[object]) -> bytes:
    """The standard-library encoder: the fallback, and the reference orjson must match."""
    text = "".join(_encoder.encode(item) + "\n" for item in items)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "unsilo_fffd")


def write_feed_lines(path: str | Path, items: Iterable[object]) -> int:
    """Write ``items`` as a JSON-lines file at ``path`` (parents created); returns lines."""
    data = serialize(items)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return data.count(b"\n")


def insert_json_lines(
    con: duckdb.DuckDBPyConnection, table: str, run_id: str, files: str | list[str]
) -> int:
    """Load JSON-lines ``files`` into ``table`` with ``run_id`` in ONE statement; returns rows.

    ``columns`` pins every field's type from the item schema, so a key missing from a line
    is NULL and a key the schema does not know is ignored rather than becoming a column.
    """
    item_type = TABLES[table]  # KeyError for anything but a known table: no SQL injection
    row = con.execute(
        f"""
        insert into {item_type.TABLE} by name
        select $run_id as run_id, *
        from read_json($files, columns = $columns, format = 'newline_delimited')
        """,
        {"run_id": run_id, "files": files, "columns": column_types(item_type)},
    ).fetchone()
    return int(row[0]) if row else 0


def feed_files(feed_dir: str | Path, table: str) -> list[str]:
    """The ``.jsonl`` parts of one table under ``feed_dir``, in name order."""
    return sorted(str(p) for p in Path(feed_dir, table).glob("*.jsonl") if p.is_file())


def load_feeds(con: duckdb.DuckDBPyConnection, run_id: str, feed_dir: str | Path) -> dict[str, int]:
    """Load every ``<feed_dir>/<table>/*.jsonl`` as rows of ``run_id``; rows per table."""
    counts: dict[str, int] = {}
    for table in TABLES:
        files = feed_files(feed_dir, table)
        counts[table] = insert_json_lines(con, table, run_id, files) if files else 0
    return counts


_RECORD_KEYS = sorted(f.name for f in dataclasses.fields(PageRecord))


@cache
def _signatures() -> dict[str, list[str]]:
    """Per table, the keys no other item type has: enough to recognise an untagged line."""
    signatures = {}
    for table, item_type in TABLES.items():
        others = {n for t in TABLES.values() if t is not item_type for n in _field_names(t)}
        signatures[table] = [n for n in _field_names(item_type) if n not in others]
    return signatures


def _route_sql() -> str:
    """A CASE expression naming each line's table; built only from schema names.

    A line whose keys are exactly one item type's fields (what Scrapy's exporters write)
    goes to that table; otherwise a key only one item type has decides.
    """
    exact = " ".join(
        f"when list_sort(json_keys(json)) = {sorted(_field_names(t))!r} then '{table}'"
        for table, t in TABLES.items()
    )
    unique = " ".join(
        f"when list_has_any(json_keys(json), {keys!r}) then '{table}'"
        for table, keys in _signatures().items()
        if keys
    )
    whens = f"{exact} {unique}"
    return f"coalesce(json ->> '_table', case {whens} end)"


def load_feed_file(con: duckdb.DuckDBPyConnection, run_id: str, path: str | Path) -> dict[str, int]:
    """Load one mixed JSON-lines file (all item types together); rows per table.

    The file is read once into a temporary table of (line, table) pairs, then each
    table takes its lines in one statement, typed by ``json_transform`` with the same
    column types ``read_json`` uses.
    """
    con.execute(
        f"""
        create or replace temp table _unsilo_feed as
        with raw as (
            select json, list_sort(json_keys(json)) = {_RECORD_KEYS!r} as is_record
            from read_json_objects($path, format = 'newline_delimited')
        ),
        -- a PageRecord line (the shop spider's item) holds a page and its rows: unpack it
        lines as (
            select json from raw where not is_record
            union all select json -> 'page' from raw where is_record
            union all select unnest(json_extract(json, '$.links[*]')) from raw where is_record
            union all select json -> 'social' from raw
                where is_record and json_type(json -> 'social') = 'OBJECT'
            union all select unnest(json_extract(json, '$.profile_links[*]')) from raw
                where is_record
        )
        select json, {_route_sql()} as _route from lines
        """,
        {"path": str(path)},
    )
    try:
        counts = {table: _insert_routed(con, table, run_id) for table in TABLES}
        unrouted = con.execute(
            "select count(*) from _unsilo_feed "
            "where not coalesce(list_contains($t, _route), false)",
            {"t": list(TABLES)},
        ).fetchone()
        counts[UNROUTED] = int(unrouted[0]) if unrouted else 0
    finally:
        con.execute("drop table if exists _unsilo_feed")
    return counts


def json_structure(tp: object) -> object:
    """The ``json_transform`` spelling of a field type: ``list[X]`` → ``[X]``, dataclass → dict.

    Mirrors ``unsilo.pipeline.schema.duckdb_type`` so a mixed feed is typed exactly like a table.
    """
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return json_structure(next(a for a in typing.get_args(tp) if a is not type(None)))
    if origin is list:
        return [json_structure(typing.get_args(tp)[0])]
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return {name: json_structure(hints[name]) for name in _field_names(tp)}
    return duckdb_type(tp)


def _insert_routed(con: duckdb.DuckDBPyConnection, table: str, run_id: str) -> int:
    row = con.execute(
        f"""
        insert into {table} by name
        select $run_id as run_id, unnest(json_transform(json, $structure))
        from _unsilo_feed where _route = $table
        """,
        {
            "run_id": run_id,
            "table": table,
            "structure": json.dumps(json_structure(TABLES[table])),
        },
    ).fetchone()
    return int(row[0]) if row else 0
