"""Run lifecycle: ids, filtered settings, counts from stored rows, stale runs after a kill."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import duckdb
import pytest

from unsilo.items import LinkItem, PageItem
from unsilo.pipeline.db import connect
from unsilo.pipeline.lock import DatabaseLock
from unsilo.pipeline.run_history import latest_run, list_runs
from unsilo.pipeline.run_rows import finish_run, new_run_id, start_run
from unsilo.pipeline.run_scope import public_settings
from unsilo.pipeline.runs import STALE_REASON, mark_stale_runs
from unsilo.pipeline.store import ItemStore


def page(n: int, *, status: int | None = 200, html: bool = True, error: str | None = None):
    url = f"https://shop.example/p/{n}"
    return PageItem(url, url, url, url, status, error=error, is_html=html)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return connect(":memory:")


def begin(con: duckdb.DuckDBPyConnection, **settings: object) -> str:
    return start_run(con, start_url="https://shop.example/", site="shop.example", settings=settings)


def test_run_id_is_sortable_by_start_time() -> None:
    early = new_run_id(datetime(2026, 11, 23, 11, 50, 0, tzinfo=UTC))
    late = new_run_id(datetime(2026, 11, 23, 11, 50, 1, tzinfo=UTC))
    assert re.fullmatch(r"2026-11-23T115000Z-[0-9a-f]{6}", early)
    assert early < late


def test_start_run_records_a_running_row_without_secrets(con) -> None:
    run_id = begin(
        con,
        DEPTH_LIMIT=5,
        API_KEY="sk-live-123",
        github_token="ghp_abc",
        proxy={"url": "http://proxy", "Password": "hunter2"},
        USER_AGENT="unsilo (+https://unsilo.example)",
    )
    (run,) = list_runs(con)
    assert run["run_id"] == run_id
    assert run["status"] == "running"
    assert run["finished_at"] is None
    assert run["start_url"] == "https://shop.example/"
    assert run["site"] == "shop.example"
    assert run["unsilo_version"] == metadata.version("unsilo")
    assert run["duckdb_version"] == duckdb.__version__
    assert run["settings"] == {
        "DEPTH_LIMIT": 5,
        "proxy": {"url": "http://proxy"},
        "USER_AGENT": "unsilo (+https://unsilo.example)",
    }
    stored = con.execute("select settings::varchar from runs").fetchone()[0]
    for secret in ("sk-live-123", "ghp_abc", "hunter2"):
        assert secret not in stored


def test_public_settings_drops_secret_looking_keys_at_any_depth() -> None:
    settings = {"a": {"b": {"SESSION_COOKIE": 1, "c": 2}}, "AUTH_HEADER": "x", "SECRET": 3}
    assert public_settings(settings) == {"a": {"b": {"c": 2}}}


def test_finish_run_counts_only_this_runs_rows(con) -> None:
    other = begin(con)
    with ItemStore(con, other) as store:
        store.add(page(99))
    run_id = begin(con)
    with ItemStore(con, run_id, batch_size=2) as store:
        store.add(page(1))
        store.add(page(2, html=False))
        store.add(page(3, status=404))
        store.add(page(4, status=None, html=False, error="TimeoutError"))
        store.add(page(5, status=503))
    finish_run(con, run_id, "complete", None)
    run = next(r for r in list_runs(con) if r["run_id"] == run_id)
    assert run["status"] == "complete"
    assert run["finished_at"] >= run["started_at"]
    assert (run["pages"], run["html_pages"], run["errors"]) == (5, 3, 3)
    assert next(r for r in list_runs(con) if r["run_id"] == other)["status"] == "running"


def test_finish_run_rejects_unknown_status_and_run(con) -> None:
    run_id = begin(con)
    with pytest.raises(ValueError, match="complete, partial or failed"):
        finish_run(con, run_id, "running")
    with pytest.raises(KeyError, match="no run 'nope'"):
        finish_run(con, "nope", "complete")


def test_list_runs_newest_first_and_latest_run_filters_by_status(con) -> None:
    assert latest_run(con) is None
    first, second, third = begin(con), begin(con), begin(con)
    finish_run(con, first, "complete")
    finish_run(con, second, "partial", "shutdown")
    finish_run(con, third, "failed", "blocked by robots.txt")
    assert [r["run_id"] for r in list_runs(con)] == [third, second, first]
    assert latest_run(con) is None  # no pages in any: nothing to report
    con.execute("update runs set pages = 1")
    assert latest_run(con) == second
    assert latest_run(con, status=("complete",)) == first
    assert latest_run(con, status=("failed",)) == third
    assert latest_run(con, status=("running",)) is None


def link(source: int, target: str, *, internal: bool = True) -> LinkItem:
    url = f"https://shop.example/{target}"
    return LinkItem(f"https://shop.example/p/{source}", url, url, "a link", internal=internal)


def test_stale_run_without_lock_holder_becomes_partial(tmp_path: Path) -> None:
    con = connect(tmp_path / "a.duckdb")
    dead = begin(con)
    with ItemStore(con, dead) as store:
        store.add(page(1))
        store.add(page(2))
        for target in ("p/2", "p/3", "p/4#reviews", "p/4", "p/5"):
            store.add(link(1, target))
        store.add(link(1, "p/6", internal=False))  # never followed: not missing
    assert mark_stale_runs(con) == 1
    (run,) = list_runs(con)
    reason = f"{STALE_REASON}; 3 linked URLs were never fetched"  # p/3, p/4 and p/5
    assert (run["status"], run["reason"], run["pages"]) == ("partial", reason, 2)
    assert mark_stale_runs(con) == 0


@pytest.mark.parametrize(
    ("items", "missing"),
    [
        ([], "no page was stored"),
        ([page(1)], "every linked URL was fetched"),
        ([page(1), link(1, "p/2")], "1 linked URL was never fetched"),
    ],
)
def test_a_stale_runs_reason_says_what_it_is_missing(tmp_path: Path, items, missing) -> None:
    con = connect(tmp_path / "a.duckdb")
    begin(con)
    dead = begin(con)
    with ItemStore(con, dead) as store:
        for item in items:
            store.add(item)
    assert mark_stale_runs(con) == 2
    reasons = {r["run_id"]: r["reason"] for r in list_runs(con)}
    assert reasons[dead] == f"{STALE_REASON}; {missing}"


def test_run_named_by_a_live_lock_is_not_stale(tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    con = connect(db)
    dead = begin(con)
    with DatabaseLock(db) as lock:
        live = begin(con)
        lock.note_run(live)
        assert mark_stale_runs(con) == 1
    status = {r["run_id"]: r["status"] for r in list_runs(con)}
    assert status == {dead: "partial", live: "running"}


def test_lock_held_by_this_process_without_a_run_marks_every_running_row(tmp_path) -> None:
    db = tmp_path / "a.duckdb"
    con = connect(db)
    dead = begin(con)
    with DatabaseLock(db):  # the documented order: lock, mark_stale_runs, start_run
        assert mark_stale_runs(con) == 1
    (run,) = list_runs(con)
    assert (run["run_id"], run["status"]) == (dead, "partial")


HOLDS_LOCK = """
import sys, time
from unsilo.pipeline.lock import DatabaseLock
lock = DatabaseLock(sys.argv[1]).acquire()  # kept: a dropped lock is released
print("locked", flush=True)
time.sleep(60)
"""


def test_another_live_holder_without_a_named_run_leaves_rows_alone(tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    con = connect(db)
    maybe_live = begin(con)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDS_LOCK, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        assert mark_stale_runs(con) == 0
        assert list_runs(con)[0]["status"] == "running"
    finally:
        proc.kill()
        proc.wait()
    assert mark_stale_runs(con) == 1  # the holder is gone: now the run is known dead
    (run,) = list_runs(con)
    assert (run["run_id"], run["status"]) == (maybe_live, "partial")


def test_memory_database_never_has_stale_runs(con) -> None:
    begin(con)
    assert mark_stale_runs(con) == 0


KILLED = """
import os, signal, sys
from unsilo.pipeline.db import connect
from unsilo.pipeline.run_rows import start_run
from unsilo.pipeline.store import ItemStore
from unsilo.items import LinkItem, PageItem
con = connect(sys.argv[1])
run_id = start_run(con, start_url="https://shop.example/", site="shop.example", settings={})
store = ItemStore(con, run_id, batch_size=2)
for n in range(5):  # two full batches are written, the fifth item is still buffered
    url = f"https://shop.example/{n}"
    store.add(PageItem(url, url, url, url, 200, is_html=True))
print(run_id, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_rows_flushed_before_a_kill_survive_and_the_run_is_closed(tmp_path: Path) -> None:
    db = tmp_path / "killed.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", KILLED, str(db)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == -9, proc.stderr
    run_id = proc.stdout.strip()
    con = connect(db)
    assert mark_stale_runs(con) == 1
    (run,) = list_runs(con)
    assert run["run_id"] == run_id
    assert (run["status"], run["pages"], run["html_pages"]) == ("partial", 4, 4)
