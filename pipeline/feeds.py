"""JSON-lines feeds: the one format items travel in, and the one statement that stores them.

``ItemStore`` writes each batch as a folder of JSON-lines files (one per table) and stores
it with one ``INSERT … SELECT … FROM read_json(…)`` per table, in one transaction;
``load_parts`` runs the same statements over a job folder written elsewhere (a Scrapyd box,
a plain ``scrapy crawl``, an earlier crash), so "written as a feed, loaded later" and
"stored directly" give the same rows by construction. The job folder's layout is below;
``unsilo.pipeline.load`` reads job folders and Scrapy's own mixed ``-o items.jsonl`` files.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import shutil
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

try:
    import orjson
except ImportError:  # optional speed-up; the standard library gives the same lines
    orjson = None  # type: ignore[assignment]

from unsilo.pipeline.db import transaction
from unsilo.pipeline.schema import TABLES, column_types

MAX_LINE_BYTES = 4 * 1024 * 1024  # one row's JSON at most (a bigger row refuses its batch)
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
    return _decimal_text(obj)


def _decimal_text(obj: object) -> str:
    """A ``Decimal`` (a price) as JSON text, exact: ``read_json`` casts it to DECIMAL."""
    if isinstance(obj, Decimal):
        return str(obj)
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
            return b"".join(
                orjson.dumps(item, default=_decimal_text, option=orjson.OPT_APPEND_NEWLINE)
                for item in batch
            )
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
        from read_json(
            $files, columns = $columns, format = 'newline_delimited',
            maximum_object_size = $max_line
        )
        """,
        {
            "run_id": run_id,
            "files": files,
            "columns": column_types(item_type),
            "max_line": MAX_LINE_BYTES,
        },
    ).fetchone()
    return int(row[0]) if row else 0


# --- a job's feed folder: the form a run takes when no database is at hand -----------------
#
#   <job_dir>/run.json                 the run: id, start URL, site, scope, start time
#   <job_dir>/part-000001/pages.jsonl  one committed batch: every table's rows of N pages
#   <job_dir>/part-000001/links.jsonl  (a batch folder appears whole or not at all)
#   <job_dir>/stats.json               the crawl's own stats, finish_reason included; written
#                                      when the crawl ends, so its absence says it never did

RUN_FILE = "run.json"
STATS_FILE = "stats.json"
PART_GLOB = "part-[0-9]*"


def write_batch(job_dir: str | Path, tables: Mapping[str, list[object]], *, after: int = 0) -> Path:
    """Write one batch (table → items) as ``<job_dir>/part-NNNNNN/<table>.jsonl``; its folder.

    The files are written into a hidden folder first and renamed into place when all are
    there: a crash leaves either a whole batch or none, so a page is never stored without
    its links (a resume rebuilds its frontier from them). Numbers go on after ``after``
    (the run's batches stored already) and after the folders present.
    """
    root = Path(job_dir)
    root.mkdir(parents=True, exist_ok=True)
    number = max(_next_part(root), after + 1)
    staging = root / f".part-{number:06d}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for table, items in tables.items():
            if items:
                write_feed_lines(staging / f"{table}.jsonl", items)
        staging.mkdir(exist_ok=True)  # an all-empty batch is still a (harmless) part
        final = root / f"part-{number:06d}"
        staging.rename(final)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # a full disk gets its space back
        raise
    return final


def _next_part(root: Path) -> int:
    numbers = [int(p.name[5:]) for p in root.glob(PART_GLOB) if p.name[5:].isdigit()]
    return max(numbers, default=0) + 1


def batch_files(job_dir: str | Path, table: str) -> list[str]:
    """The committed ``.jsonl`` files of one table in a job folder, in batch order."""
    return sorted(str(p) for p in Path(job_dir).glob(f"{PART_GLOB}/{table}.jsonl"))


def insert_batch(con: duckdb.DuckDBPyConnection, run_id: str, folder: str | Path) -> dict[str, int]:
    """Insert one batch folder's tables as rows of ``run_id`` in ONE transaction.

    All or nothing: a page and its links are stored together or not at all. The error of a
    failed insert or COMMIT is the one raised, never a follow-up ROLLBACK's.
    """
    counts: dict[str, int] = {}
    with transaction(con):
        for table in TABLES:
            path = Path(folder) / f"{table}.jsonl"
            if path.is_file():
                counts[table] = insert_json_lines(con, table, run_id, str(path))
    return counts


def load_parts(con: duckdb.DuckDBPyConnection, run_id: str, job_dir: str | Path) -> dict[str, int]:
    """Every committed batch of a job folder as rows of ``run_id``: one statement per table."""
    counts: dict[str, int] = {}
    for table in TABLES:
        files = batch_files(job_dir, table)
        counts[table] = insert_json_lines(con, table, run_id, files) if files else 0
    return counts


def write_json(path: str | Path, data: Mapping[str, object]) -> None:
    """Write ``run.json``/``stats.json`` whole (temporary file, then rename)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.tmp")
    staging.write_text(json.dumps(data, default=str, indent=1), encoding="utf-8")
    staging.replace(target)


def read_json_file(path: str | Path) -> dict[str, Any] | None:
    """A job's ``run.json``/``stats.json``, or None when it is absent or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def database_jobs_dir(db_path: str | Path) -> Path:
    """Where a crawl into ``db_path`` keeps its job folders until they are brought in."""
    return Path(f"{db_path}.jobs")


def stored_batches(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """The highest batch number of ``run_id`` stored, so a continued crawl numbers on."""
    row = con.execute(
        "select max(try_cast(substr(batch, 6) as bigint)) from run_batches where run_id = $r",
        {"r": run_id},
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def pending_parts(con: duckdb.DuckDBPyConnection, run_id: str, job_dir: str | Path) -> list[Path]:
    """The committed batch folders of a job that the database has not stored yet."""
    stored = {
        row[0]
        for row in con.execute(
            "select batch from run_batches where run_id = $r", {"r": run_id}
        ).fetchall()
    }
    parts = sorted(p for p in Path(job_dir).glob(PART_GLOB) if p.is_dir())
    return [p for p in parts if p.name not in stored]


def bring_in(
    con: duckdb.DuckDBPyConnection, run_id: str, job_dir: str | Path, *, per_transaction: int = 50
) -> dict[str, int]:
    """Store a job's batches that are not stored yet, ``per_transaction`` at a time.

    Each transaction also records its batches in ``run_batches``, so a batch is stored
    exactly once even when a process dies between any two steps: this is how a crawl into
    DuckDB stores (at its end, and when it is resumed after a kill).
    """
    counts = dict.fromkeys(TABLES, 0)
    parts = pending_parts(con, run_id, job_dir)
    for start in range(0, len(parts), per_transaction):
        chunk = parts[start : start + per_transaction]
        with transaction(con):
            for table in TABLES:
                files = [
                    str(p / f"{table}.jsonl") for p in chunk if (p / f"{table}.jsonl").is_file()
                ]
                if files:
                    counts[table] += insert_json_lines(con, table, run_id, files)
            con.execute(
                "insert into run_batches select $r, unnest($names)",
                {"r": run_id, "names": [p.name for p in chunk]},
            )
    return counts


def rows_in(parts: list[Path]) -> int:
    """How many rows the batch folders hold (their lines), for a run's reason."""
    total = 0
    for part in parts:
        for path in part.glob("*.jsonl"):
            with path.open("rb") as handle:
                total += sum(1 for _ in handle)
    return total
