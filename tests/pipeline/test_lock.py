"""DatabaseLock: one run per database, a clear message when busy, freed when the holder dies."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from unsilo.pipeline.db import StorageError
from unsilo.pipeline.lock import DatabaseLock, LockBusy, holder_path, is_held, read_holder

HOLDER = """
import sys, time
from unsilo.pipeline.lock import DatabaseLock
lock = DatabaseLock(sys.argv[1]).acquire()
print("locked", flush=True)
time.sleep(60)
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "audit.duckdb"


@pytest.fixture
def holder(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock, as a second cron run would see it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    yield proc
    proc.kill()
    proc.wait()


def test_second_lock_in_another_process_fails_with_holder_pid(
    db: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(LockBusy) as info:
        DatabaseLock(db).acquire()
    message = str(info.value)
    assert f"another unsilo run holds {db}: pid {holder.pid}, started 20" in message


def test_lock_is_freed_when_holder_is_killed(db: Path, holder: subprocess.Popen[str]) -> None:
    assert is_held(db)
    holder.kill()
    holder.wait()
    assert not is_held(db)
    with DatabaseLock(db) as lock:
        assert lock.held
        assert read_holder(db)["pid"] == os.getpid()


def test_second_descriptor_in_same_process_is_refused(db: Path) -> None:
    with DatabaseLock(db), pytest.raises(LockBusy, match=f"pid {os.getpid()}"):
        DatabaseLock(db).acquire()


def test_wait_keeps_trying_then_gives_up(db: Path) -> None:
    with DatabaseLock(db):
        started = time.monotonic()
        with pytest.raises(LockBusy, match=r"waited 0\.3s"):
            DatabaseLock(db, wait=0.3).acquire()
        assert time.monotonic() - started >= 0.3


def test_release_lets_the_next_run_in(db: Path) -> None:
    first = DatabaseLock(db).acquire()
    first.release()
    assert not first.held
    assert not is_held(db)
    with DatabaseLock(db) as second:
        assert second.held
        assert is_held(db)


def test_note_run_is_visible_to_other_readers(db: Path) -> None:
    with DatabaseLock(db) as lock:
        lock.note_run("2026-11-23T115000Z-ab12cd")
        holder = read_holder(db)
        assert holder["run_id"] == "2026-11-23T115000Z-ab12cd"
        assert holder["pid"] == os.getpid()


def test_garbage_in_lock_file_does_not_break_the_message(db: Path) -> None:
    holder_path(db).write_text("not json {", encoding="utf-8")
    assert read_holder(db) == {}
    with DatabaseLock(db):  # acquiring rewrites the file; the garbage was advisory only
        assert read_holder(db)["pid"] == os.getpid()


def test_memory_database_needs_no_lock() -> None:
    with DatabaseLock(":memory:") as one, DatabaseLock(":memory:") as two:
        assert one.held and two.held


def test_unwritable_lock_location_raises_storage_error() -> None:
    with pytest.raises(StorageError, match="cannot open lock file /proc/nonexistent/x.duckdb.lock"):
        DatabaseLock("/proc/nonexistent/x.duckdb").acquire()


def test_release_removes_the_holder_file_but_a_killed_holder_leaves_it(
    db: Path, holder: subprocess.Popen[str]
) -> None:
    holder.kill()
    holder.wait()
    assert read_holder(db)["pid"] == holder.pid  # advisory leftover: the OS lock is gone
    with DatabaseLock(db) as lock:
        lock.note_run("r1")
        holder_now = read_holder(db)
        assert (holder_now["pid"], holder_now["run_id"]) == (os.getpid(), "r1")
    assert not holder_path(db).exists()
    assert read_holder(db) == {}
