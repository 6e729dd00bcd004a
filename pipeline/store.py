"""Stream typed items into DuckDB in batches, from plain Python or as a Scrapy pipeline.

Each full batch of one table becomes one JSON-lines file and one ``INSERT … read_json``
(see ``unsilo.pipeline.feeds``): no per-row INSERTs, and every batch is committed on its own,
so a killed crawl keeps everything flushed before the kill.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Self

import duckdb
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from unsilo.items import PageRecord
from unsilo.pipeline.db import StorageError, connect
from unsilo.pipeline.feeds import insert_json_lines, write_feed_lines
from unsilo.pipeline.lock import DatabaseLock
from unsilo.pipeline.runs import finish_run, mark_stale_runs, start_run
from unsilo.pipeline.schema import TABLES

logger = logging.getLogger(__name__)
MAX_PENDING = 4  # background batches waiting for the writer thread


class ItemStore:
    """Streams typed items into DuckDB in batches.

    With ``feed_dir`` the batch files are kept as ``<feed_dir>/<table>/part-NNNNNN.jsonl``
    (a feed that ``load_feeds`` can replay elsewhere); without it they are temporary. If an
    INSERT fails, the batch is gone from memory but its feed file, when kept, is not.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        run_id: str,
        *,
        batch_size: int = 500,
        feed_dir: Path | None = None,
        rescue_dir: Path | None = None,
        background: bool = False,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.con = con
        self.run_id = run_id
        self.batch_size = batch_size
        self.feed_dir = Path(feed_dir) if feed_dir is not None else None
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.writes: dict[str, int] = dict.fromkeys(TABLES, 0)
        self._buffers: dict[str, list[object]] = {table: [] for table in TABLES}
        self._parts: dict[str, int] = {}
        self._tmp: Path | None = None
        # where a batch the database refused is kept, as a feed file that load_feeds reads
        self.rescue_dir = Path(rescue_dir) if rescue_dir is not None else None
        self.not_stored: dict[str, int] = dict.fromkeys(TABLES, 0)
        # background: batches are serialised here but INSERTed by one writer thread, so
        # DuckDB (which releases the GIL) parses JSON on the second core while the crawl
        # goes on; at most MAX_PENDING batches wait, which bounds the memory they hold.
        self._writer = ThreadPoolExecutor(1, "unsilo-writer") if background else None
        # the writer thread gets a cursor of its own: one DuckDB connection is not for two
        # threads at once, and the caller may still use ``con`` meanwhile
        self._write_con = con.cursor() if background else con
        self._pending: deque[Future[None]] = deque()
        self._serial = 0

    def add(self, item: object) -> None:
        """Buffer one item; its table is written as soon as it holds a full batch."""
        if isinstance(item, PageRecord):
            for row in item.rows():
                self.add(row)
            return
        table = getattr(type(item), "TABLE", None)
        if table not in TABLES or type(item) is not TABLES[table]:
            raise TypeError(f"not an unsilo item: {type(item).__name__}")
        buffer = self._buffers[table]
        buffer.append(item)
        if len(buffer) >= self.batch_size:
            self._write(table)

    def flush(self) -> None:
        """Write every non-empty buffer, one statement per table, and wait for the writer."""
        for table, buffer in self._buffers.items():
            if buffer:
                self._write(table)
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
                self._write_con.close()
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, table: str) -> None:
        items, self._buffers[table] = self._buffers[table], []
        path = self._batch_path(table)
        write_feed_lines(path, items)
        if self._writer is None:
            self._insert(table, path, len(items))
            return
        self._wait(MAX_PENDING - 1)
        self._pending.append(self._writer.submit(self._insert, table, path, len(items)))

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

    def _insert(self, table: str, path: Path, n: int) -> None:
        try:
            self.counts[table] += insert_json_lines(self._write_con, table, self.run_id, str(path))
        except duckdb.Error as exc:
            self.not_stored[table] += n
            kept = self._rescue(path, table)
            where = f"; kept in {kept} (load it later with pipeline.feeds)" if kept else ""
            raise StorageError(f"cannot store {n} {table} rows: {exc}{where}") from exc
        finally:
            if self.feed_dir is None:
                path.unlink(missing_ok=True)
        self.writes[table] += 1

    def _rescue(self, path: Path, table: str) -> Path | None:
        """Keep a refused batch as a feed file, so a full disk or a locked file loses nothing."""
        if self.feed_dir is not None:
            return path  # feed files are kept anyway
        if self.rescue_dir is None:
            return None
        try:
            target = self.rescue_dir / table / f"part-{time.time_ns()}.jsonl"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        except OSError:
            return None
        return target

    def _batch_path(self, table: str) -> Path:
        if self.feed_dir is None:
            if self._tmp is None:
                self._tmp = Path(tempfile.mkdtemp(prefix="unsilo-batch-"))
            self._serial += 1
            return self._tmp / f"{table}-{self._serial}.jsonl"
        folder = self.feed_dir / table
        if table not in self._parts:  # continue after parts left by an earlier process
            self._parts[table] = len(list(folder.glob("part-*.jsonl"))) if folder.is_dir() else 0
        self._parts[table] += 1
        return folder / f"part-{self._parts[table]:06d}.jsonl"


RECORDED_SETTINGS = (
    "BOT_NAME",
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "CLOSESPIDER_PAGECOUNT",
    "CLOSESPIDER_ITEMCOUNT",
    "CLOSESPIDER_TIMEOUT",
    "DEPTH_LIMIT",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "DOWNLOAD_TIMEOUT",
    "AUTOTHROTTLE_ENABLED",
    "JOBDIR",
)
"""Scrapy settings worth keeping with a run: the ones that change what a crawl can see."""

LIMIT_REASONS = {
    "closespider_pagecount": "page limit reached (CLOSESPIDER_PAGECOUNT)",
    "closespider_itemcount": "item limit reached (CLOSESPIDER_ITEMCOUNT)",
    "closespider_timeout": "time limit reached (CLOSESPIDER_TIMEOUT)",
}
"""Configured limits the crawl obeyed: the run did what it was asked, so it is complete."""


def run_outcome(close_reason: str) -> tuple[str, str | None]:
    """Map Scrapy's close reason to a run (status, reason).

    ``finished`` → complete. A configured limit (page/item count, timeout) → complete with
    the limit as reason: the owner chose it, and analysing such a run is the point.
    Everything else (``shutdown`` on Ctrl-C, ``cancelled``, error-count or no-item stalls,
    unknown reasons) → partial, with Scrapy's reason kept.
    """
    if close_reason == "finished":
        return "complete", None
    if close_reason in LIMIT_REASONS:
        return "complete", LIMIT_REASONS[close_reason]
    return "partial", f"crawl stopped early: {close_reason}"


class DuckDBPipeline:
    """Scrapy item pipeline: ``ITEM_PIPELINES = {"unsilo.pipeline.store.DuckDBPipeline": 300}``.

    Settings: ``UNSILO_DB`` (default ``unsilo.duckdb``), ``UNSILO_RUN_ID`` (the CLI already
    started the run and holds the lock), ``UNSILO_BATCH_SIZE``, ``UNSILO_FEED_DIR``.
    Without ``UNSILO_RUN_ID`` the pipeline owns the run: it takes the database lock, closes
    runs a dead process left ``running``, starts a run from the spider's ``start_url`` and
    ``site``, and finishes it on ``spider_closed`` (the only place Scrapy tells the close
    reason, which arrives after ``close_spider`` has flushed).
    """

    def __init__(
        self,
        crawler: Crawler,
        *,
        db_path: str,
        run_id: str | None,
        batch_size: int,
        feed_dir: Path | None,
        memory_limit: str | None = None,
    ) -> None:
        self.crawler = crawler
        self.memory_limit = memory_limit
        self.db_path = db_path
        self.run_id = run_id
        self.owns_run = run_id is None
        self.batch_size = batch_size
        self.feed_dir = feed_dir
        self.con: duckdb.DuckDBPyConnection | None = None
        self.store: ItemStore | None = None
        self.lock: DatabaseLock | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        feed_dir = settings.get("UNSILO_FEED_DIR")
        pipeline = cls(
            crawler,
            db_path=str(settings.get("UNSILO_DB") or "unsilo.duckdb"),
            run_id=settings.get("UNSILO_RUN_ID") or None,
            batch_size=settings.getint("UNSILO_BATCH_SIZE", 500),
            feed_dir=Path(feed_dir) if feed_dir else None,
            memory_limit=settings.get("UNSILO_DB_MEMORY_LIMIT") or None,
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        if self.owns_run:
            self.lock = DatabaseLock(self.db_path).acquire()
        try:
            self.con = connect(self.db_path)
            if self.memory_limit:
                # DuckDB keeps written blocks in its buffer pool and by default may grow it to
                # 80% of RAM; a crawl only appends, so a capped pool and one DuckDB thread
                # (the crawler itself is one Python thread) keep its memory flat as the shop
                # grows. Each batch's read_json needs a 32 MB buffer: the cap must exceed it.
                self.con.execute("SET memory_limit = $limit", {"limit": self.memory_limit})
                self.con.execute("SET threads = 1")
            if self.owns_run:
                mark_stale_runs(self.con)
                self.run_id = self._resumed_run() or start_run(
                    self.con,
                    start_url=str(getattr(spider, "start_url", "") or ""),
                    site=str(getattr(spider, "site", "") or ""),
                    settings=self._recorded_settings(spider),
                )
                self._remember_run()
                self.lock.note_run(self.run_id)  # type: ignore[union-attr]
            elif not self.con.execute(
                "select 1 from runs where run_id = $r", {"r": self.run_id}
            ).fetchone():
                raise StorageError(f"UNSILO_RUN_ID {self.run_id} is not a run in {self.db_path}")
        except BaseException:
            self._release()
            raise
        assert self.run_id is not None
        feed_dir = self.feed_dir / self.run_id if self.feed_dir is not None else None
        rescue_dir = Path(self.db_path).parent / "unsilo-rescue" / self.run_id
        self.store = ItemStore(
            self.con,
            self.run_id,
            batch_size=self.batch_size,
            feed_dir=feed_dir,
            rescue_dir=rescue_dir,
            background=True,
        )
        spider.run_id = self.run_id
        logger.info("storing items in %s as run %s", self.db_path, self.run_id)

    def process_item(self, item: Any) -> Any:
        """Store unsilo items; anything else passes through untouched for other pipelines."""
        if self.store is not None and (
            isinstance(item, PageRecord) or getattr(type(item), "TABLE", None) in TABLES
        ):
            try:
                self.store.add(item)
            except StorageError as exc:
                # the crawl goes on; the run is judged partial from this stat
                logger.error("%s", exc)
                self._count_not_stored()
        return item

    def _count_not_stored(self) -> None:
        if self.store is not None and self.crawler.stats is not None:
            self.crawler.stats.set_value(
                "unsilo/rows_not_stored", sum(self.store.not_stored.values())
            )

    def close_spider(self) -> None:
        try:
            if self.store is not None:
                try:
                    self.store.close()
                except StorageError as exc:
                    logger.error("%s", exc)
                    self._count_not_stored()
                logger.info("stored rows for run %s: %s", self.run_id, self.store.counts)
        finally:
            if not self.owns_run:
                self._release()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Finish an owned run with the status Scrapy's close ``reason`` implies."""
        if self.owns_run and self.con is not None and self.run_id is not None:
            status, why = run_outcome(reason)
            lost = (
                self.crawler.stats.get_value("unsilo/rows_not_stored") if self.crawler.stats else 0
            )
            if lost:
                status, why = "partial", f"{lost} rows could not be stored (kept in unsilo-rescue/)"
            finish_run(self.con, self.run_id, status, why)
            logger.info("run %s %s%s", self.run_id, status, f" ({why})" if why else "")
        self._release()

    def _job_file(self) -> Path | None:
        jobdir = self.crawler.settings.get("JOBDIR")
        return Path(jobdir) / "unsilo-run-id" if jobdir else None

    def _resumed_run(self) -> str | None:
        """The run a paused ``JOBDIR`` crawl started, so resuming it continues that run."""
        job_file = self._job_file()
        if job_file is None or not job_file.is_file() or self.con is None:
            return None
        run_id = job_file.read_text(encoding="utf-8").strip()
        if not self.con.execute("select 1 from runs where run_id = $r", {"r": run_id}).fetchone():
            return None
        self.con.execute(
            "update runs set status = 'running', finished_at = null, reason = null "
            "where run_id = $r",
            {"r": run_id},
        )
        logger.info("resuming run %s from %s", run_id, job_file.parent)
        return run_id

    def _remember_run(self) -> None:
        job_file = self._job_file()
        if job_file is not None and self.run_id is not None:
            job_file.parent.mkdir(parents=True, exist_ok=True)
            job_file.write_text(self.run_id, encoding="utf-8")

    def _recorded_settings(self, spider: Spider) -> dict[str, object]:
        recorded: dict[str, object] = {"spider": spider.name}
        for name in RECORDED_SETTINGS:
            value = self.crawler.settings.get(name)
            if value not in (None, ""):
                recorded[name] = value
        return recorded

    def _release(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
