"""Scrapy's own mixed feed (``-o items.jsonl``) streamed into the tables, with flat memory.

Such a file holds every item type together. A line with a ``"page"`` object is a
``PageRecord`` (the shop spider's item: a page with its links, social facts and profile
links); each table takes its part of every record in one ``INSERT … SELECT … FROM
read_json(…)``, list parts unnested. Any other line goes to the table named by its
``"_table"`` field if it has one, else to the table whose fields are exactly the line's
keys, else to the first table (in ``TABLES`` order) owning one of the line's keys that no
other item type has, when the line has that item type's required fields too. Lines that
match no table are counted under ``"unrouted"``, never guessed into a table.

Every statement reads the file afresh and streams it: nothing holds all lines at once, so
a 200,000-page feed loads in the memory DuckDB is allowed (``unsilo.pipeline.load``).
Routing needs a line's keys, and parsing a page line (~30 KB) for them costs more than
anything else here; a line that visibly opens with a ``"page"`` object is known to be a
record without that parse.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from pathlib import Path

import duckdb

from unsilo.items import PageRecord
from unsilo.pipeline.feeds import _field_names
from unsilo.pipeline.schema import TABLES, duckdb_type

UNROUTED = "unrouted"

RECORD_KEY = "page"  # the PageRecord field that makes a line a record: a page object
# How Scrapy's exporter and orjson open a record line: {"page": {  (spaces allowed)
_OPENS_A_RECORD = rf'^\s*\{{\s*"{RECORD_KEY}"\s*:\s*\{{'


@cache
def record_parts() -> dict[str, tuple[type, bool]]:
    """``PageRecord`` field → (item type it holds, whether it holds a list of them)."""
    hints = typing.get_type_hints(PageRecord)
    parts = {}
    for name in _field_names(PageRecord):
        tp = _without_none(hints[name])
        is_list = typing.get_origin(tp) is list
        parts[name] = (typing.get_args(tp)[0] if is_list else tp, is_list)
    return parts


@cache
def _record_columns() -> dict[str, str]:
    """``read_json`` columns of a record line.

    Single parts are typed as their table's struct. List parts are read as ``JSON[]`` and
    typed row by row: a list field's name can be another item's field too (``links``: a
    post's list of URLs), and a struct type would fail the whole scan on such a line.
    """
    return {
        name: "JSON[]" if is_list else duckdb_type(item_type)
        for name, (item_type, is_list) in record_parts().items()
    }


def load_feed_file(con: duckdb.DuckDBPyConnection, run_id: str, path: str | Path) -> dict[str, int]:
    """Load one mixed JSON-lines file (all item types together); rows per table.

    One streaming statement per table that has rows, plus one pass counting where the
    other lines go. Raises ``duckdb.Error`` for a file DuckDB cannot read as JSON lines.
    """
    counted = con.execute(
        f"{_routed_lines_sql()} select _route, count(*) from routed group by all",
        _routing_params(path),
    )
    routes: dict[str | None, int] = dict(counted.fetchall())
    by_table = {item_type.TABLE: part for part, (item_type, _) in record_parts().items()}
    counts: dict[str, int] = {}
    for table in TABLES:
        counts[table] = 0
        if table in by_table:
            counts[table] += _insert_record_part(con, run_id, path, by_table[table])
        if routes.get(table):
            counts[table] += _insert_routed(con, run_id, path, table)
    counts[UNROUTED] = sum(n for route, n in routes.items() if route not in TABLES)
    return counts


def _insert_record_part(
    con: duckdb.DuckDBPyConnection, run_id: str, path: str | Path, part: str
) -> int:
    """One table's rows from every record line: ``page``, ``social`` or an unnested list."""
    item_type, is_list = record_parts()[part]
    records = (  # "part" and RECORD_KEY are schema field names, never user text
        "from read_json($path, columns = $columns, format = 'newline_delimited') "
        f"where {RECORD_KEY} is not null"
    )
    if is_list:
        select = (
            "select $run_id as run_id, unnest(json_transform(row, $structure)) "
            f"from (select unnest({part}) as row {records})"
        )
    else:
        select = f"select $run_id as run_id, {part}.* {records} and {part} is not null"
    row = con.execute(
        f"insert into {item_type.TABLE} by name {select}",
        {
            "run_id": run_id,
            "path": str(path),
            "columns": _record_columns(),
            **({"structure": json.dumps(json_structure(item_type))} if is_list else {}),
        },
    ).fetchone()
    return int(row[0]) if row else 0


def _insert_routed(
    con: duckdb.DuckDBPyConnection, run_id: str, path: str | Path, table: str
) -> int:
    """One table's rows from the lines routed to it, typed like ``read_json`` types them."""
    row = con.execute(
        f"""
        insert into {table} by name
        {_routed_lines_sql()}
        select $run_id as run_id, unnest(json_transform(json, $structure))
        from routed where _route = $table
        """,
        {
            **_routing_params(path),
            "run_id": run_id,
            "table": table,
            "structure": json.dumps(json_structure(TABLES[table])),
        },
    ).fetchone()
    return int(row[0]) if row else 0


@cache
def _routed_lines_sql() -> str:
    """CTEs ending in ``routed(json, _route)``: every line that is not a record, with its table.

    A record is a line whose ``page`` is an object; its regex shortcut spares the parse.
    Built only from schema names: a CASE naming each line's table. A line whose keys are
    exactly one item type's fields (what Scrapy's exporters write) goes to that table;
    otherwise a key only one item type has decides.
    """
    exact = " ".join(
        f"when keys = {sorted(_field_names(t))!r} then '{table}'" for table, t in TABLES.items()
    )
    unique = " ".join(
        f"when list_has_any(keys, {keys!r}) and list_has_all(keys, {_required(table)!r}) "
        f"then '{table}'"
        for table, keys in _signatures().items()
        if keys
    )
    return f"""
        with raw as (
            select json from read_json_objects($path, format = 'newline_delimited')
        ),
        others as (
            select json from raw
            where not case
                when regexp_matches(json, $opens_a_record) then true
                else coalesce(json_type(json -> $record_key) = 'OBJECT', false)
            end
        ),
        keyed as (
            select json, list_sort(json_keys(json)) as keys from others
        ),
        routed as (
            select json, coalesce(json ->> '_table', case {exact} {unique} end) as _route
            from keyed
        )
    """


def _routing_params(path: str | Path) -> dict[str, str]:
    return {"path": str(path), "opens_a_record": _OPENS_A_RECORD, "record_key": RECORD_KEY}


@cache
def _required(table: str) -> list[str]:
    """The fields an item of ``table`` always has (no default): a line routed by one of its
    own keys must have them too, so a foreign ``{"name": …}`` is no product."""
    return [
        f.name
        for f in dataclasses.fields(TABLES[table])
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]


@cache
def _signatures() -> dict[str, list[str]]:
    """Per table, the keys no other item type has: enough to recognise an untagged line."""
    signatures = {}
    for table, item_type in TABLES.items():
        others = {n for t in TABLES.values() if t is not item_type for n in _field_names(t)}
        signatures[table] = [n for n in _field_names(item_type) if n not in others]
    return signatures


def json_structure(tp: object) -> object:
    """The ``json_transform`` spelling of a field type: ``list[X]`` → ``[X]``, dataclass → dict.

    Mirrors ``unsilo.pipeline.schema.duckdb_type`` so a mixed feed is typed exactly like a table.
    """
    tp = _without_none(tp)
    if typing.get_origin(tp) is list:
        return [json_structure(typing.get_args(tp)[0])]
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return {name: json_structure(hints[name]) for name in _field_names(tp)}
    return duckdb_type(tp)


def _without_none(tp: object) -> object:
    """``X | None`` → ``X``; anything else as it is."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(tp) if a is not type(None))
    return tp
