"""Where a run's rows go when their own disk refuses them: a rescue folder with room.

A full disk (or a file-size or quota limit) refuses the crawl's batch folders and the
database alike, and a copy "kept" beside the database is kept on the very disk that is full
(measured: the rescue files of a run on a full 5 MB filesystem were empty). So a batch that
cannot be written where it belongs goes to ``<root>/unsilo-rescue/<run_id>/`` under the
first root that has room for it, and is never put on the full disk's filesystem again:
the system temp folder first, then ``~/.cache``. A rescued batch is an ordinary batch
folder with its own part number, so a resume (and the next run's stale-run clean-up)
stores it exactly once, like any batch of the run's job folder (``stored_everywhere``).

>>> [str(d) for d in rescue_dirs("2026-11-23T115000Z-ab12cd")]  # doctest: +SKIP
['/tmp/unsilo-rescue/2026-11-23T115000Z-ab12cd', '/home/me/.cache/unsilo-rescue/2026-11-…']
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb

from unsilo.pipeline.feeds import PART_GLOB, bring_in, pending_parts, rows_in

logger = logging.getLogger(__name__)

RESCUE_FOLDER = "unsilo-rescue"
SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
"""Errors that say "no room here": disk full, quota reached, file-size limit."""

HEADROOM = 4 * 1024 * 1024  # bytes a rescue root keeps free beyond the batch itself


def rescue_dirs(run_id: str) -> list[Path]:
    """Every folder a batch of ``run_id`` may be rescued to, in the order they are tried."""
    roots = [Path(tempfile.gettempdir()), Path.home() / ".cache"]
    return [root / RESCUE_FOLDER / run_id for root in roots]


def is_out_of_space(exc: BaseException) -> bool:
    """True when ``exc`` (an ``OSError`` or a DuckDB error) means the disk has no room.

    DuckDB raises its own error types and keeps only the operating system's message
    ("Could not write file …: No space left on device"), so for it the message is read.
    """
    if isinstance(exc, OSError):
        return exc.errno in SPACE_ERRNOS
    if isinstance(exc, duckdb.Error):
        text = str(exc)
        return any(os.strerror(code) in text for code in SPACE_ERRNOS)
    return False


def storage_problem(exc: duckdb.Error, db_path: str | Path) -> str | None:
    """One line for a DuckDB error that means the disk refused a write (full, over a size
    limit, unreadable), else None: a bug in a query must still show its traceback."""
    if not (is_out_of_space(exc) or isinstance(exc, duckdb.IOException)):
        return None
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"cannot write database {db_path}: {first}"


def rescue(
    write: Callable[[Path], Path], run_id: str, *, size: int, full: Path | None
) -> Path | None:
    """Run ``write(folder)`` in the first rescue folder with room; the folder written, or None.

    ``size`` is what the batch needs (bytes); ``full`` a path on the disk that refused it,
    whose filesystem is never chosen. A folder that fails is skipped for the next.
    """
    for folder in rescue_dirs(run_id):
        if not _has_room(folder, size, full):
            continue
        try:
            return write(folder)
        except OSError as exc:
            logger.warning("cannot rescue rows into %s: %s", folder, exc.strerror or exc)
    return None


def move_parts(parts: list[Path], run_id: str) -> Path | None:
    """Move batch folders off their (full) disk into a rescue folder; where they went, or None.

    Moving them frees the full disk, so the run's own row can still be written there.
    Each part is copied whole before its original goes; a part that cannot be copied stays.
    """
    if not parts:
        return None
    size = sum(f.stat().st_size for p in parts for f in p.iterdir() if f.is_file())
    for folder in rescue_dirs(run_id):
        if not _has_room(folder, size, parts[0]):
            continue
        try:
            for part in parts:
                staging = folder / f".{part.name}.tmp"
                shutil.rmtree(staging, ignore_errors=True)
                shutil.copytree(part, staging)
                staging.rename(folder / part.name)
                shutil.rmtree(part, ignore_errors=True)
        except OSError as exc:
            logger.warning("cannot move rows into %s: %s", folder, exc.strerror or exc)
            continue
        return folder
    return None


def part_folders(job_dir: Path | None, run_id: str) -> list[Path]:
    """The run's job folder (when given) and each rescue folder holding batches of it."""
    places = [job_dir] if job_dir is not None else []
    return places + [d for d in rescue_dirs(run_id) if any(d.glob(PART_GLOB))]


def stored_everywhere(con: duckdb.DuckDBPyConnection, run_id: str, job_dir: Path) -> dict[str, int]:
    """``bring_in`` the job folder's batches, then the rescued ones; rows stored per table.

    A rescue folder whose batches are all stored goes; the job folder is the caller's.
    """
    counts: dict[str, int] = {}
    for place in part_folders(job_dir, run_id):
        if not place.is_dir():
            continue
        for table, n in bring_in(con, run_id, place).items():
            counts[table] = counts.get(table, 0) + n
        if place != job_dir:
            shutil.rmtree(place, ignore_errors=True)
    return counts


def keep_unstored(
    con: duckdb.DuckDBPyConnection | None, run_id: str, job_dir: Path, exc: BaseException
) -> tuple[int, str]:
    """After the database refused the run's batches (``exc``): rows left and where they are.

    On a full disk the job folder's batches move to a rescue folder: they are safe there,
    and the space they free lets the run's own row record why. ``con`` None: the database
    could not even be opened, so every batch found is unstored.
    """
    places = part_folders(job_dir, run_id)
    if con is not None:
        left = [p for place in places for p in pending_parts(con, run_id, place)]
    else:
        left = [p for place in places for p in sorted(place.glob(PART_GLOB))]
    unstored = rows_in(left)
    ours = [p for p in left if p.parent == job_dir]
    if is_out_of_space(exc) and (moved := move_parts(ours, run_id)) is not None:
        places = [moved if p == job_dir else p for p in places]
    kept = [str(p) for p in places if p.is_dir() and any(p.glob(PART_GLOB))]
    return unstored, ", ".join(dict.fromkeys(kept))


def _has_room(folder: Path, size: int, full: Path | None) -> bool:
    """``folder`` can be created and its filesystem has ``size`` bytes and headroom free,
    and it is not the filesystem of ``full``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if full is not None and _device(full) == folder.stat().st_dev:
            return False
        return shutil.disk_usage(folder).free >= size + HEADROOM
    except OSError:
        return False


def _device(path: Path) -> int | None:
    """The device of ``path`` or of its nearest existing parent."""
    for candidate in (path, *path.parents):
        try:
            return candidate.stat().st_dev
        except OSError:
            continue
    return None
