"""connect(): every table in place, rows kept across opens, clear errors for bad paths."""

from __future__ import annotations

import ctypes.util
import dataclasses
import sys
from pathlib import Path

import duckdb
import pytest

from unsilo.items import Hreflang, PageItem
from unsilo.pipeline.db import (
    StorageError,
    connect,
    database_file,
    database_path,
    release_free_memory,
)
from unsilo.pipeline.schema import TABLES, stored_columns
from unsilo.pipeline.store import ItemStore


def _tables(con) -> set[str]:
    return {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}


def test_memory_database_has_runs_and_one_table_per_item_type() -> None:
    con = connect(":memory:")
    assert _tables(con) == {"runs", "run_batches", *TABLES}
    for table, item_type in TABLES.items():
        cols = [r[0] for r in con.execute(f"describe {table}").fetchall()]
        assert cols == list(stored_columns(item_type))


def test_file_database_keeps_rows_across_connections(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "audit.duckdb"
    con = connect(path)
    con.execute("insert into runs (run_id, status) values ('r1', 'running')")
    con.close()
    again = connect(path)  # creating tables again must not wipe anything
    assert again.execute("select run_id, status from runs").fetchall() == [("r1", "running")]
    assert database_path(again) == path


def test_database_made_before_duckdb_version_was_recorded_gains_the_column(tmp_path) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as old:  # the runs table as it was, without duckdb_version
        old.execute("create table runs (run_id varchar primary key, status varchar)")
        old.execute("insert into runs values ('r0', 'complete')")
    con = connect(path)
    assert con.execute("select run_id, duckdb_version from runs").fetchall() == [("r0", None)]


def test_database_file_names_the_duckdb_at_work_and_the_oldest_that_reads_the_file(
    tmp_path: Path,
) -> None:
    facts = database_file(connect(tmp_path / "a.duckdb"))
    assert facts.duckdb_version == duckdb.__version__
    needed = tuple(int(part) for part in (facts.readable_from or "").split("."))
    assert len(needed) == 3  # "1.0.0" from DuckDB 1.x, "2.0.0" from 2.0
    assert needed <= tuple(int(p) for p in duckdb.__version__.split(".")[:3])
    assert database_file(connect(":memory:")).readable_from is None


def test_memory_database_has_no_path() -> None:
    assert database_path(connect(":memory:")) is None


@pytest.mark.parametrize("bad", ["/proc/nonexistent/x.duckdb", "/proc/x.duckdb"])
def test_unopenable_path_raises_storage_error_naming_it(bad: str) -> None:
    with pytest.raises(StorageError) as info:
        connect(bad)
    message = str(info.value)
    assert message.startswith(f"cannot open database {bad}: ")
    assert len(message) > len(f"cannot open database {bad}: ")  # a reason follows
    assert "Traceback" not in message


def test_directory_as_database_raises_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=f"cannot open database {tmp_path}"):
        connect(tmp_path)


def _anonymous_kb() -> int:
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(line for line in status if line.startswith("RssAnon")).split()[1])


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or ctypes.util.find_library("c") is None,
    reason="RssAnon and malloc_trim exist only on Linux with glibc",
)
def test_freed_heap_goes_back_to_the_system_before_storing() -> None:
    # 1.5 KB objects live in malloc's heap; keeping every 50th pins the heap's pages, as a
    # finished crawl's survivors do, so only malloc_trim gives the rest back
    blocks = [bytes(1500) + bytes([i % 256]) for i in range(100_000)]
    survivors = blocks[::50]
    del blocks
    held = _anonymous_kb()
    release_free_memory()
    assert held - _anonymous_kb() > 100_000  # of the ~150 MB freed, most is returned
    assert len(survivors) == 2_000


def _create_as_older_unsilo(path: Path, dropped: dict[str, set[str]]) -> None:
    """A database whose tables lack the ``dropped`` columns, as an older unsilo wrote it."""
    con = duckdb.connect(str(path))
    for table, item_type in TABLES.items():
        cols = {
            n: t for n, t in stored_columns(item_type).items() if n not in dropped.get(table, ())
        }
        spelled = ", ".join(f'"{n}" {t}' for n, t in cols.items())
        con.execute(f"create table {table} ({spelled})")
    con.execute(
        "insert into pages (run_id, url, url_key, final_url, final_url_key, status, error) "
        "values ('old', 'u1', 'u1', 'u1', 'u1', null, "
        "'robots.txt disallows unsilo''s crawler (user-agent unsilo)'), "
        "('old', 'u2', 'u2', 'u2', 'u2', null, 'timeout after 180s'), "
        "('old', 'u3', 'u3', 'u3', 'u3', null, 'connection lost before a complete response'), "
        "('old', 'u4', 'u4', 'u4', 'u4', 200, null)"
    )
    con.close()


def test_a_database_from_before_error_kind_gains_the_column_typed_from_old_messages(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.duckdb"
    _create_as_older_unsilo(path, {"pages": {"error_kind"}})
    con = connect(path)
    kinds = con.execute("select url, error_kind from pages order by url").fetchall()
    assert kinds == [("u1", "robots"), ("u2", "timeout"), ("u3", "other"), ("u4", None)]
    with ItemStore(con, "new") as store:  # and new rows store their kind
        store.add(PageItem("n", "n", "n", "n", None, error="dns lookup failed", error_kind="dns"))
    assert con.execute("select error_kind from pages where run_id = 'new'").fetchall() == [("dns",)]


def test_an_older_hreflang_struct_is_widened_so_new_keys_are_not_dropped(tmp_path: Path) -> None:
    """INSERT BY NAME into the narrower struct would silently lose ``url_key``."""
    path = tmp_path / "old.duckdb"
    _create_as_older_unsilo(path, {})
    con = duckdb.connect(str(path))
    old_struct = 'STRUCT("lang" VARCHAR, "url" VARCHAR, "source" VARCHAR, "valid" BOOLEAN)[]'
    con.execute(f"alter table pages alter hreflang type {old_struct}")
    con.execute(
        "update pages set hreflang = [{'lang': 'de', 'url': 'https://s.example/de', "
        "'source': 'head', 'valid': true}] where url = 'u4'"
    )
    con.close()
    con = connect(path)
    # the old row's key is computed on upgrade (pipeline.db backfills), as extraction would
    old = Hreflang("de", "https://s.example/de", "head", True, "https://s.example/de")
    new = Hreflang("fr", "https://s.example/fr/", "head", True, "https://s.example/fr")
    with ItemStore(con, "new") as store:
        store.add(PageItem("n", "n", "n", "n", 200, hreflang=[new]))
    got = con.execute(
        "select url, hreflang from pages where hreflang <> [] order by url"
    ).fetchall()
    assert got == [("n", [dataclasses.asdict(new)]), ("u4", [dataclasses.asdict(old)])]
