"""One run per database at a time, so two cron lines cannot write one DuckDB file at once.

Two files sit beside the database. ``<db>.lock`` carries an exclusive OS lock held for the
whole run, taken through ``filelock`` (``flock`` on POSIX, ``msvcrt.locking`` on Windows).
The operating system drops it when the holder dies, however it dies, so a killed run never
leaves a stale lock behind. ``<db>.lock.json`` says who holds it (pid, start time, run id):
it only serves the error message and ``runs.mark_stale_runs``, never the locking itself, and
it is a file of its own because Windows forbids other processes to read a locked file.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from unsilo.pipeline.db import MEMORY, StorageError

POLL_SECONDS = 0.1


class LockBusy(RuntimeError):
    """Another live process holds the database's lock."""


def lock_path(db_path: str | Path) -> Path:
    """``<db>.lock`` beside the database file: the file the OS lock is taken on."""
    return Path(f"{db_path}.lock")


def holder_path(db_path: str | Path) -> Path:
    """``<db>.lock.json`` beside the database file: who holds (or last held) the lock."""
    return Path(f"{db_path}.lock.json")


def read_holder(db_path: str | Path) -> dict[str, object]:
    """What the database lock's current or last holder wrote about itself; ``{}`` if unreadable.

    The contents are advisory: a holder may have just taken the lock and not written yet.
    """
    try:
        data = json.loads(holder_path(db_path).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_held(db_path: str | Path) -> bool:
    """Whether some lock (any process, this one included) holds the database's lock.

    Probes with a lock of its own, which a holder in this process blocks too.
    """
    path = lock_path(db_path)
    if not path.exists():
        return False
    probe = FileLock(path)
    try:
        probe.acquire(timeout=0)
    except Timeout:
        return True
    probe.release()
    return False


class DatabaseLock:
    """Exclusive lock for one database; use as a context manager or acquire()/release().

    ``wait`` is how many seconds to keep trying before giving up with ``LockBusy``; 0 fails
    at once, which is what cron wants (the next scheduled run tries again). An in-memory
    database needs no lock, so ``":memory:"`` gives a lock that always succeeds. Keep a
    reference while the run lasts: a lock that is garbage-collected is released.
    """

    def __init__(self, db_path: str | Path, wait: float = 0) -> None:
        self.db_path = str(db_path)
        self.wait = wait
        self.path: Path | None = None if self.db_path == MEMORY else lock_path(db_path)
        self._lock: FileLock | None = None
        self._info: dict[str, object] = {}

    @property
    def held(self) -> bool:
        """True between a successful ``acquire`` and ``release``."""
        return bool(self._info)

    def acquire(self) -> DatabaseLock:
        """Take the lock, polling until ``wait`` runs out; raises ``LockBusy`` then."""
        if self.path is None:
            self._info = {"pid": os.getpid(), "started": _now()}
            return self
        lock = FileLock(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock.acquire(timeout=max(self.wait, 0), poll_interval=POLL_SECONDS)
        except Timeout:
            raise LockBusy(self._busy_message()) from None
        except OSError as exc:
            raise StorageError(f"cannot open lock file {self.path}: {exc.strerror}") from exc
        self._lock = lock
        self._info = {"pid": os.getpid(), "started": _now()}
        try:
            self._write()
        except StorageError:
            self.release()
            raise
        return self

    def note_run(self, run_id: str) -> None:
        """Record the run this lock protects, so ``mark_stale_runs`` leaves it alone."""
        self._info["run_id"] = run_id
        if self._lock is not None:
            self._write()

    def release(self) -> None:
        """Let go of the lock; the holder file goes first, while nobody else can write it."""
        self._info = {}
        if self._lock is None:
            return
        lock, self._lock = self._lock, None
        with contextlib.suppress(OSError):  # advisory only: the next holder overwrites it
            holder_path(self.db_path).unlink(missing_ok=True)
        lock.release()

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def _write(self) -> None:
        """Rewrite the holder file; a reader catching it half-written just reads ``{}``."""
        path = holder_path(self.db_path)
        try:
            path.write_text(json.dumps(self._info), encoding="utf-8")
        except OSError as exc:
            raise StorageError(f"cannot write lock holder {path}: {exc.strerror}") from exc

    def _busy_message(self) -> str:
        holder = read_holder(self.db_path)
        pid = holder.get("pid", "unknown")
        started = holder.get("started", "unknown")
        waited = f" (waited {self.wait:g}s)" if self.wait > 0 else ""
        return (
            f"another unsilo run holds {self.db_path}: pid {pid}, started {started}{waited}; "
            f"wait for it to finish or pass a longer wait"
        )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
