"""Stream typed items into storage in batches: a job's feed folder, or a DuckDB file directly.

A batch holds up to ``batch_size`` rows of whole pages (every table's rows of each page)
and is written as one folder of JSON-lines files (``unsilo.pipeline.feeds.write_batch``)
that appears whole or not at all, so a killed crawl leaves whole pages only and a resume
can trust what it finds (``unsilo.pipeline.resume``). A crawl writes feed folders only
(``con`` None): its storage pipeline brings them into DuckDB when it ends. Given a
connection, each batch is stored at once with one ``INSERT … read_json`` per table in ONE
transaction — the same statements, for callers that hold rows rather than a crawl.

A batch its own folder refuses (disk full, file-size limit) goes to a rescue folder with room
(``unsilo.pipeline.rescue``) and counts as ``rescued``; one that no folder takes is ``lost``
and counted, so the run can say how many rows it lost instead of claiming they were kept.
"""

from __future__ import annotations

import errno
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Self

import duckdb

from unsilo.items import PageRecord
from unsilo.pipeline.db import StorageError
from unsilo.pipeline.feeds import insert_batch, write_batch
from unsilo.pipeline.rescue import rescue
from unsilo.pipeline.schema import TABLES

logger = logging.getLogger(__name__)
ROW_BYTES = 2048  # a generous guess at a row's JSON size, to check a rescue folder's room


class ItemStore:
    """Buffers items and writes them as whole batches.

    ``con`` None: feed only, the batch folders stay in ``feed_dir`` (a job folder).
    ``con`` given: stored in DuckDB; with ``feed_dir`` the batch folders are kept there too,
    otherwise they are temporary. A batch the database refuses is kept in ``rescue_dir``.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection | None,
        run_id: str,
        *,
        batch_size: int = 5000,
        feed_dir: Path | None = None,
        rescue_dir: Path | None = None,
        first_part: int = 1,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if con is None and feed_dir is None:
            raise ValueError("an ItemStore needs a database connection, a feed folder or both")
        self.con = con
        self.run_id = run_id
        self.batch_size = batch_size
        self.feed_dir = Path(feed_dir) if feed_dir is not None else None
        self.rescue_dir = Path(rescue_dir) if rescue_dir is not None else None
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)  # rows stored
        self.writes: dict[str, int] = dict.fromkeys(TABLES, 0)  # batches holding the table
        self.not_stored: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.rescued: dict[str, int] = dict.fromkeys(TABLES, 0)  # rows in a rescue folder
        self.lost: dict[str, int] = dict.fromkeys(TABLES, 0)  # rows no folder would take
        self.kept_in: Path | None = None  # the rescue folder, once a batch went there
        self.batches = 0  # batches committed
        self._buffers: dict[str, list[object]] = {table: [] for table in TABLES}
        self._rows = 0
        self._after = first_part - 1  # batch numbers a continued run has used already
        self._tmp: Path | None = None

    def add(self, item: object) -> None:
        """Buffer one item (a page with all its rows); a full batch is written whole.

        The batch is counted in rows, not pages: a page holds about a hundred link rows, and
        rows held in Python are what the crawl's memory grows with (measured: 500 pages a
        batch doubled the crawler's peak memory; 5,000 rows keep it near a bare spider's).
        """
        if isinstance(item, PageRecord):
            for row in item.rows():
                self._buffer(row)
        else:
            self._buffer(item)
        if self._rows >= self.batch_size:
            self._write()

    def _buffer(self, item: object) -> None:
        table = getattr(type(item), "TABLE", None)
        if table not in TABLES or type(item) is not TABLES[table]:
            raise TypeError(f"not an unsilo item: {type(item).__name__}")
        self._buffers[table].append(item)
        self._rows += 1

    def flush(self) -> None:
        """Write what is buffered as one batch."""
        if self._rows:
            self._write()

    def refused_stats(self) -> dict[str, object]:
        """What storage refused so far, as the crawl stats the run's judge reads
        (``unsilo.pipeline.runs.unstored_rows``): rows kept (rescued or not stored), rows
        lost, and the rescue folder once a batch went there."""
        stats: dict[str, object] = {
            "unsilo/rows_not_stored": sum(self.not_stored.values()) + sum(self.rescued.values()),
            "unsilo/rows_lost": sum(self.lost.values()),
        }
        if self.kept_in is not None:
            stats["unsilo/kept_in"] = str(self.kept_in)
        return stats

    def close(self) -> None:
        """Flush and drop the temporary batch folder; the connection stays the caller's."""
        try:
            self.flush()
        finally:
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self) -> None:
        tables = {t: rows for t, rows in self._buffers.items() if rows}
        self._buffers = {table: [] for table in TABLES}
        self._rows = 0
        sizes = {t: len(rows) for t, rows in tables.items()}
        root = self._batch_root()
        try:
            folder = write_batch(root, tables, after=self._after)
        except OSError as exc:
            self._rescue_unwritten(root, tables, sizes, exc)  # raises StorageError
        self._after = max(self._after, _part_number(folder))
        if self.con is None:  # feed only: the batch folder is the store
            self._count(sizes)
            return
        self._insert(folder, sizes)

    def _insert(self, folder: Path, sizes: dict[str, int]) -> None:
        assert self.con is not None
        try:
            insert_batch(self.con, self.run_id, folder)
        except duckdb.Error as exc:
            for table, n in sizes.items():
                self.not_stored[table] += n
            kept = self._rescue(folder)
            where = f"; kept in {kept} (unsilo load can bring it in)" if kept else ""
            rows = sum(sizes.values())
            raise StorageError(f"cannot store a batch of {rows} rows: {exc}{where}") from exc
        finally:
            if self.feed_dir is None:
                shutil.rmtree(folder, ignore_errors=True)
        self._count(sizes)

    def _rescue_unwritten(
        self, root: Path, tables: dict[str, list[object]], sizes: dict[str, int], exc: OSError
    ) -> None:
        """Write a batch its folder refused into a rescue folder, or count it lost; raise."""
        rows = sum(sizes.values())
        # a full disk is avoided; a file-size limit (EFBIG) is per file, not per disk
        full = root if exc.errno in (errno.ENOSPC, errno.EDQUOT) else None
        folder = rescue(
            lambda target: write_batch(target, tables, after=self._after),
            self.run_id,
            size=rows * ROW_BYTES,
            full=full,
        )
        counter = self.lost if folder is None else self.rescued
        for table, n in sizes.items():
            counter[table] += n
        where = "no folder with room would take them: they are lost"
        if folder is not None:
            self._after = max(self._after, _part_number(folder))
            self.kept_in = folder.parent
            where = f"kept in {folder.parent}"
        reason = exc.strerror or str(exc)
        raise StorageError(f"cannot write a batch of {rows} rows to {root}: {reason}; {where}")

    def _count(self, sizes: dict[str, int]) -> None:
        for table, n in sizes.items():
            self.counts[table] += n
            self.writes[table] += 1
        self.batches += 1
        # what a resume will find: pages stored so far (a test waits for this line, too)
        logger.info(
            "run %s: batch %d stored (%d pages in this batch, %d in all)",
            self.run_id,
            self.batches,
            sizes.get("pages", 0),
            self.counts["pages"],
        )

    def _rescue(self, folder: Path) -> Path | None:
        """Keep a refused batch as a feed folder, so a locked file loses nothing."""
        if self.feed_dir is not None:
            return folder  # feed folders are kept anyway
        if self.rescue_dir is None:
            return None
        try:
            target = self.rescue_dir / f"{folder.name}-{time.time_ns()}"
            shutil.copytree(folder, target)
        except OSError:
            return None
        return target

    def _batch_root(self) -> Path:
        if self.feed_dir is not None:
            return self.feed_dir
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="unsilo-batch-"))
        return self._tmp


def _part_number(folder: Path) -> int:
    """``part-000012`` → 12: batch numbers stay unique across the job and rescue folders."""
    digits = folder.name.rsplit("-", 1)[-1]
    return int(digits) if digits.isdigit() else 0
