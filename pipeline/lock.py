"""One run per database at a time, so two cron lines cannot write one DuckDB file at once.

The lock is an exclusive ``flock`` on ``<db>.lock``, held for the whole run. The kernel
drops it when the holder dies, however it dies, so a killed run never leaves a stale lock
behind; the file's contents (pid, start time, run id) only serve the error message and
``runs.mark_stale_runs``, never the locking itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from unsilo.pipeline.db import MEMORY, StorageError

POLL_SECONDS = 0.1


class LockBusy(RuntimeError):
    """Another live process holds the database's lock."""


def lock_path(db_path: str | Path) -> Path:
    """``<db>.lock`` beside the database file."""
    return Path(f"{db_path}.lock")


def read_holder(path: Path) -> dict[str, object]:
    """What the current or last holder wrote into the lock file; ``{}`` if unreadable.

    The contents are advisory: a holder may have just taken the lock and not written yet.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_held(db_path: str | Path) -> bool:
    """Whether some open file description (any process, this one included) holds the lock."""
    path = lock_path(db_path)
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing also releases the probe lock if it was taken
    return False


class DatabaseLock:
    """Exclusive lock for one database; use as a context manager or acquire()/release().

    ``wait`` is how many seconds to keep trying before giving up with ``LockBusy``; 0 fails
    at once, which is what cron wants (the next scheduled run tries again). An in-memory
    database needs no lock, so ``":memory:"`` gives a lock that always succeeds.
    """

    def __init__(self, db_path: str | Path, wait: float = 0) -> None:
        self.db_path = str(db_path)
        self.wait = wait
        self.path: Path | None = None if self.db_path == MEMORY else lock_path(db_path)
        self._fd: int | None = None
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
        fd = self._open()
        deadline = time.monotonic() + max(self.wait, 0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockBusy(self._busy_message()) from None
                time.sleep(POLL_SECONDS)
        self._fd = fd
        self._info = {"pid": os.getpid(), "started": _now()}
        self._write()
        return self

    def note_run(self, run_id: str) -> None:
        """Record the run this lock protects, so ``mark_stale_runs`` leaves it alone."""
        self._info["run_id"] = run_id
        if self._fd is not None:
            self._write()

    def release(self) -> None:
        """Let go of the lock; the file stays (deleting it would race a waiting process)."""
        self._info = {}
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        os.ftruncate(fd, 0)
        os.close(fd)  # closing the descriptor releases the flock

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def _open(self) -> int:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StorageError(f"cannot open lock file {self.path}: {exc.strerror}") from exc

    def _write(self) -> None:
        assert self._fd is not None
        data = json.dumps(self._info).encode("utf-8")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)

    def _busy_message(self) -> str:
        assert self.path is not None
        holder = read_holder(self.path)
        pid = holder.get("pid", "unknown")
        started = holder.get("started", "unknown")
        waited = f" (waited {self.wait:g}s)" if self.wait > 0 else ""
        return (
            f"another unsilo run holds {self.db_path}: pid {pid}, started {started}{waited}; "
            f"wait for it to finish or pass a longer wait"
        )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
