"""The Scrapy item pipeline: every unsilo item of a crawl into one run's storage.

Where the items go — the rule the README states:

* ``UNSILO_DB`` set (the ``unsilo`` CLI always sets it): that DuckDB file. The crawl itself
  writes the same batch folders as a feed job (in ``<db>.jobs/<run_id>/``, or under
  ``UNSILO_FEED_DIR`` when set, where they are kept), and they are stored in the database
  when the crawl ends, each batch exactly once (``feeds.bring_in``). No DuckDB work runs
  beside the crawl: measured at 10,000 pages, a writer thread in the crawl cost 18% of the
  pages/s and 78 MB of peak memory; storing at the end takes 2.4 s and stays under 1.3× a
  bare spider's memory. A batch left by a killed process is stored when the run resumes (or
  when the next run closes it as stale), so nothing written is lost or stored twice.
* otherwise (a Scrapyd job, a plain ``scrapy crawl shop``): a feed job folder
  ``<UNSILO_FEED_DIR, default unsilo-feeds>/<run_id>/`` and no DuckDB file at all, so two
  jobs never fight over one database; ``unsilo load`` brings the folder in later.

Who owns the run (``unsilo.pipeline.runs`` decides its status either way):

* ``UNSILO_RUN_ID`` set: the CLI started the run, holds the lock and judges it at the end;
  ``UNSILO_RESUME`` says the run is being continued.
* otherwise this pipeline owns it: it starts a run, or continues the one a ``JOBDIR`` names
  (``unsilo.pipeline.crawl_run``),
  and when the crawl ends it judges and finishes it (database) or writes the crawl's stats
  beside the feed for ``unsilo load`` to judge with the same function (feed folder).
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import duckdb
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from unsilo.items import PageRecord
from unsilo.pipeline.crawl_run import claim_run, job_run_file, remember_run, run_in_job, run_meta
from unsilo.pipeline.db import StorageError, connect, release_free_memory
from unsilo.pipeline.feeds import (
    RUN_FILE,
    STATS_FILE,
    database_jobs_dir,
    pending_parts,
    stored_batches,
    write_json,
)
from unsilo.pipeline.lock import DatabaseLock
from unsilo.pipeline.rescue import keep_unstored, stored_everywhere
from unsilo.pipeline.resume import ResumeState, resume_state, resume_state_from_job
from unsilo.pipeline.run_rows import new_run_id
from unsilo.pipeline.runs import finish_crawl_run
from unsilo.pipeline.schema import TABLES
from unsilo.pipeline.store import ItemStore

logger = logging.getLogger(__name__)
DEFAULT_FEED_DIR = "unsilo-feeds"


class StoragePipeline:
    """``ITEM_PIPELINES = {"unsilo.pipeline.storage_pipeline.StoragePipeline": 300}``."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.db_path: str | None = settings.get("UNSILO_DB") or None
        feed_root = settings.get("UNSILO_FEED_DIR") or (None if self.db_path else DEFAULT_FEED_DIR)
        self.feed_root = Path(feed_root) if feed_root else None
        self.run_id: str | None = settings.get("UNSILO_RUN_ID") or None
        self.owns_run = self.run_id is None
        self.resuming = settings.getbool("UNSILO_RESUME")
        self.batch_size = settings.getint("UNSILO_BATCH_SIZE", 5000)
        self.memory_limit = settings.get("UNSILO_DB_MEMORY_LIMIT") or None
        self.job_file = job_run_file(settings.get("UNSILO_JOBDIR") or settings.get("JOBDIR"))
        self.job_dir: Path | None = None
        self.first_part = 1  # a continued database run numbers its batches on
        self.con: duckdb.DuckDBPyConnection | None = None
        self.store: ItemStore | None = None
        self.lock: DatabaseLock | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    # --- opening -----------------------------------------------------------------------

    def open_spider(self) -> None:
        spider = self.crawler.spider
        try:
            state = self._open_database(spider) if self.db_path else self._open_feed_job(spider)
        except BaseException:
            self._release()
            raise
        assert self.run_id is not None and self.job_dir is not None
        remember_run(self.job_file, self.run_id)
        if not (self.job_dir / RUN_FILE).is_file():  # a database run's job folder
            meta = run_meta(self.crawler.settings, spider)
            write_json(self.job_dir / RUN_FILE, {"run_id": self.run_id, **meta})
        self.store = ItemStore(
            None,
            self.run_id,
            batch_size=self.batch_size,
            feed_dir=self.job_dir,
            first_part=self.first_part,
        )
        spider.run_id = self.run_id
        if state is not None and hasattr(spider, "resume_from"):
            spider.resume_from(state)
            logger.info(
                "resuming run %s: %d URLs stored, %d linked URLs still to fetch",
                self.run_id,
                len(state.fetched),
                len(state.pending),
            )
        where = self.db_path or self.job_dir
        logger.info("storing items in %s as run %s", where, self.run_id)

    def _open_database(self, spider: Spider) -> ResumeState | None:
        assert self.db_path is not None
        if self.owns_run:
            self.lock = DatabaseLock(self.db_path).acquire()
        self.con = self._connect()
        resuming = self.resuming
        if not self.owns_run:
            if not self.con.execute(
                "select 1 from runs where run_id = $r", {"r": self.run_id}
            ).fetchone():
                raise StorageError(f"UNSILO_RUN_ID {self.run_id} is not a run in {self.db_path}")
        else:
            meta = run_meta(self.crawler.settings, spider)
            self.run_id, resuming = claim_run(self.con, self.job_file, meta)
            assert self.lock is not None
            self.lock.note_run(self.run_id)
        assert self.run_id is not None
        root = self.feed_root or database_jobs_dir(self.db_path)
        self.job_dir = root / self.run_id
        state = None
        if resuming:  # what a killed process wrote, or a full disk made it rescue
            stored_everywhere(self.con, self.run_id, self.job_dir)
            state = resume_state(self.con, self.run_id)
        self.first_part = stored_batches(self.con, self.run_id) + 1
        # no DuckDB beside the crawl: its batches are stored when it ends (close_spider)
        self.con.close()
        self.con = None
        release_free_memory()  # what opening the run took is not carried through the crawl
        return state

    def _connect(self) -> duckdb.DuckDBPyConnection:
        """The database, its memory capped when ``UNSILO_DB_MEMORY_LIMIT`` is set.

        DuckDB keeps written blocks in its buffer pool and by default may grow it to 80% of
        RAM; a crawl only appends, so a capped pool and one DuckDB thread keep its memory
        flat as the shop grows. read_json takes a 32 MB buffer whatever its
        maximum_object_size: the cap must exceed it (48 MB is enough).
        """
        assert self.db_path is not None
        con = connect(self.db_path)
        if self.memory_limit:
            con.execute("SET memory_limit = $limit", {"limit": self.memory_limit})
            con.execute("SET threads = 1")
        return con

    def _open_feed_job(self, spider: Spider) -> ResumeState | None:
        assert self.feed_root is not None
        resumed = self.run_id if not self.owns_run else run_in_job(self.job_file)
        if resumed and (self.feed_root / resumed / RUN_FILE).is_file():
            self.run_id = resumed
            self.job_dir = self.feed_root / resumed
            (self.job_dir / STATS_FILE).unlink(missing_ok=True)  # not ended yet
            return resume_state_from_job(self.job_dir, resumed)
        self.run_id = self.run_id or new_run_id()
        self.job_dir = self.feed_root / self.run_id
        return None

    # --- items -------------------------------------------------------------------------

    def process_item(self, item: Any) -> Any:
        """Store unsilo items; anything else passes through untouched for other pipelines."""
        if self.store is not None and (
            isinstance(item, PageRecord) or getattr(type(item), "TABLE", None) in TABLES
        ):
            try:
                self.store.add(item)
            except StorageError as exc:
                logger.error("%s", exc)  # the crawl goes on; the run is judged partial
                self._count_not_stored()
        return item

    def _count_not_stored(self) -> None:
        """The store's own counts as crawl stats: what the run's judge reads."""
        if self.store is not None:
            self._set_stats(self.store.refused_stats())

    def _set_stats(self, values: dict[str, object]) -> None:
        if self.crawler.stats is not None:
            for key, value in values.items():
                self.crawler.stats.set_value(key, value)

    # --- closing -----------------------------------------------------------------------

    def close_spider(self) -> None:
        if self.store is None:
            return
        try:
            self.store.close()
        except StorageError as exc:
            logger.error("%s", exc)
            self._count_not_stored()
        logger.info("wrote rows for run %s: %s", self.run_id, self.store.counts)
        if self.db_path:
            self._store_in_database()

    def _store_in_database(self) -> None:
        """Bring the crawl's batches into the database; what it refuses stays in the job."""
        assert self.db_path is not None and self.run_id is not None and self.job_dir is not None
        release_free_memory()
        try:
            self.con = self._connect()
            counts = stored_everywhere(self.con, self.run_id, self.job_dir)
            logger.info("stored rows for run %s: %s", self.run_id, counts)
            if self.crawler.stats is not None:  # rescued batches are stored now, too
                self.crawler.stats.set_value("unsilo/rows_not_stored", 0)
        except (StorageError, duckdb.Error) as exc:
            self._keep_unstored(exc)

    def _keep_unstored(self, exc: BaseException) -> None:
        """Say where the batches the database refused are kept (``keep_unstored``), and how
        many rows they hold: the run's judge reads it from the stats."""
        assert self.run_id is not None and self.job_dir is not None
        unstored, kept = keep_unstored(self.con, self.run_id, self.job_dir, exc)
        error = str(exc).strip().splitlines()[0]
        logger.error(
            "cannot store %d rows of run %s in %s: %s; they are kept in %s and stored "
            "when the run is resumed",
            unstored,
            self.run_id,
            self.db_path,
            error,
            kept,
        )
        kept_stats = {"unsilo/rows_not_stored": unstored, "unsilo/kept_in": kept}
        self._set_stats({**kept_stats, "unsilo/storage_error": error})

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """The crawl's stats go beside the feed; an owned database run is judged here.

        Scrapy tells the close ``reason`` only here, after ``close_spider`` has flushed.
        """
        try:
            stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
            stats["finish_reason"] = reason
            stats["finished_at"] = datetime.now(UTC).replace(tzinfo=None).isoformat()
            if self.job_dir is not None and self.run_id is not None:
                try:
                    write_json(self.job_dir / STATS_FILE, _plain(stats))
                except OSError as exc:  # a full disk: the run's row still says how it ended
                    logger.error("cannot write %s: %s", self.job_dir / STATS_FILE, exc.strerror)
            if self.owns_run and self.con is not None and self.run_id is not None:
                try:
                    status, why = finish_crawl_run(self.con, self.run_id, stats)
                    logger.info("run %s %s%s", self.run_id, status, f" ({why})" if why else "")
                except duckdb.Error as exc:
                    logger.error("cannot record the end of run %s: %s", self.run_id, exc)
            self._drop_stored_job()
        finally:
            self._release()

    def _drop_stored_job(self) -> None:
        """A database run's own job folder goes once every batch of it is stored."""
        if self.feed_root is not None or self.con is None or self.job_dir is None:
            return  # a feed job, or kept on purpose (UNSILO_FEED_DIR), or not stored
        if self.run_id is not None and not pending_parts(self.con, self.run_id, self.job_dir):
            shutil.rmtree(self.job_dir, ignore_errors=True)

    def _release(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _plain(stats: dict[str, Any]) -> dict[str, Any]:
    """Stats as JSON-ready values (Scrapy keeps datetimes in them)."""
    return {
        k: v if isinstance(v, int | float | str | bool) or v is None else str(v)
        for k, v in stats.items()
    }

