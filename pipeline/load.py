"""Bring crawls made elsewhere into the database: job folders and Scrapy's mixed feeds.

``load_feed_file`` takes a mixed file as Scrapy's own exporter writes it
(``-o items.jsonl``): each line goes to the table named by its ``"_table"`` field if it has
one, else to the first table (in ``ITEM_TYPES`` order) owning one of the line's keys that
no other item type has. Lines that match no table are counted under ``"unrouted"``, never
guessed into a table. Job folders (``unsilo.pipeline.feeds``) load with ``load_parts``.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from unsilo.items import PageRecord
from unsilo.pipeline.feeds import (
    RUN_FILE,
    STATS_FILE,
    _field_names,
    batch_files,
    load_parts,
    read_json_file,
)
from unsilo.pipeline.runs import finish_crawl_run, start_run
from unsilo.pipeline.schema import TABLES, duckdb_type
from unsilo.urls import registrable_domain

UNROUTED = "unrouted"

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


class LoadError(RuntimeError):
    """A feed that cannot become a run (absent, empty, unreadable, already loaded)."""


def load_job(con: duckdb.DuckDBPyConnection, job_dir: str | Path) -> tuple[str, dict[str, int]]:
    """Bring a feed job folder in as the run it recorded; judged from the job's own stats.

    All in one transaction: a feed that cannot be read records no run at all. A job
    without ``stats.json`` never finished (killed, or still running) and loads ``partial``.
    """
    job = Path(job_dir)
    meta = read_json_file(job / RUN_FILE)
    if meta is None or not meta.get("run_id"):
        raise LoadError(f"{job} is not a feed job folder (no readable {RUN_FILE})")
    if not any(batch_files(job, table) for table in TABLES):
        raise LoadError(f"{job} holds no stored rows: nothing to load")
    run_id = str(meta["run_id"])
    if con.execute("select 1 from runs where run_id = $r", {"r": run_id}).fetchone():
        raise LoadError(f"run {run_id} is already in this database")
    con.execute("BEGIN TRANSACTION")
    try:
        start_run(
            con,
            run_id=run_id,
            start_url=str(meta.get("start_url") or ""),
            site=str(meta.get("site") or ""),
            settings=meta.get("scope") or {},
            started_at=_timestamp(meta.get("started_at")),
        )
        counts = load_parts(con, run_id, job)
        finish_crawl_run(con, run_id, read_json_file(job / STATS_FILE))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return run_id, counts


def _timestamp(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def load_items_file(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    start_url: str,
    stats: dict[str, object] | None,
) -> tuple[str, dict[str, int]]:
    """Bring Scrapy's own mixed feed (``-o items.jsonl``) in as a new run.

    Such a file carries no stats: without ``stats`` (``-s UNSILO_STATS_FILE=…`` of the same
    crawl) nobody can tell whether the crawl finished, so the run is ``partial``.
    """
    source = Path(path)
    if not source.is_file() or source.stat().st_size == 0:
        raise LoadError(f"{source} is empty or not a file: nothing to load")
    con.execute("BEGIN TRANSACTION")
    try:
        recorded = (stats or {}).get("unsilo/scope")
        scope = dict(recorded) if isinstance(recorded, dict) else {"spider": "shop"}
        scope.update(start_url=start_url, loaded_from=str(source))
        host = urlsplit(start_url).hostname or ""
        run_id = start_run(con, start_url=start_url, site=registrable_domain(host), settings=scope)
        try:
            counts = load_feed_file(con, run_id, source)
        except duckdb.Error as exc:
            raise LoadError(f"cannot read {source}: {str(exc).splitlines()[0]}") from exc
        if not any(n for table, n in counts.items() if table != UNROUTED):
            raise LoadError(f"{source} holds no unsilo items: nothing to load")
        finish_crawl_run(con, run_id, stats)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return run_id, counts
