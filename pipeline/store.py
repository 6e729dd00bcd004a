"""Stream typed items into storage in batches: a DuckDB file, a job's feed folder, or both.

A batch holds up to ``batch_size`` rows of whole pages (every table's rows of each page)
and is written as one folder of JSON-lines files (``unsilo.pipeline.feeds.write_batch``).
Into DuckDB it goes with one ``INSERT … read_json`` per table, all in ONE transaction: no
per-row INSERTs, and a page is never stored without its links, so a killed crawl keeps
whole pages only and a resume can trust what it finds (``unsilo.pipeline.resume``).
Without a database the batch folders *are* the store: a feed job that ``unsilo load``
brings in later, through the same statements.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Self

import duckdb

from unsilo.items import PageRecord
from unsilo.pipeline.db import StorageError
from unsilo.pipeline.feeds import insert_batch, write_batch
from unsilo.pipeline.schema import TABLES

logger = logging.getLogger(__name__)
MAX_PENDING = 4  # background batches waiting for the writer thread


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
        background: bool = False,
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
        self.batches = 0  # batches committed
        self._buffers: dict[str, list[object]] = {table: [] for table in TABLES}
        self._rows = 0
        self._after = first_part - 1  # batch numbers a continued run has used already
        self._tmp: Path | None = None
        # background: batches are serialised here but INSERTed by one writer thread, so
        # DuckDB (which releases the GIL) parses JSON on the second core while the crawl
        # goes on; at most MAX_PENDING batches wait, which bounds the memory they hold.
        # The writer thread gets a cursor of its own: one DuckDB connection is not for two
        # threads at once, and the caller may still use ``con`` meanwhile.
        threaded = background and con is not None
        self._writer = ThreadPoolExecutor(1, "unsilo-writer") if threaded else None
        self._write_con = con.cursor() if threaded and con is not None else con
        self._pending: deque[Future[None]] = deque()

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
        """Write what is buffered as one batch and wait for the writer."""
        if self._rows:
            self._write()
        self._wait(0)

    def close(self) -> None:
        """Flush and drop the temporary batch folder; the connection stays the caller's."""
        try:
            self.flush()
        finally:
            if self._writer is not None:
                self._wait(0, raise_errors=False)
                self._writer.shutdown(wait=True)
                self._writer = None
                if self._write_con is not None:
                    self._write_con.close()
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
        folder = write_batch(self._batch_root(), tables, after=self._after)
        if self.con is None:  # feed only: the batch folder is the store
            self._count(sizes)
            return
        if self._writer is None:
            self._insert(folder, sizes)
            return
        self._wait(MAX_PENDING - 1)
        self._pending.append(self._writer.submit(self._insert, folder, sizes))

    def _wait(self, keep: int, *, raise_errors: bool = True) -> None:
        """Wait until at most ``keep`` background batches are pending; surface their errors."""
        error: StorageError | None = None
        while len(self._pending) > keep:
            try:
                self._pending.popleft().result()
            except StorageError as exc:
                error = error or exc
        if error is not None and raise_errors:
            raise error

    def _insert(self, folder: Path, sizes: dict[str, int]) -> None:
        assert self._write_con is not None
        try:
            insert_batch(self._write_con, self.run_id, folder)
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
