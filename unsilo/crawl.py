"""Run the ``shop`` spider, then ``social`` and ``signals``, in this process, as the CLI needs.

Scrapy's reactor runs once per process, so the CLI runs exactly one crawl per
invocation; tests that need many crawls start the CLI or ``scrapy crawl`` in subprocesses.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.internet import defer, threads
from twisted.internet.error import ReactorNotRunning

from unsilo.crawl_progress import CrawlWatch
from unsilo.progress import Progress, noop
from unsilo.spider_arguments import ARGUMENT_ERROR

logger = logging.getLogger(__name__)

StepPlan = Callable[[], dict[str, Any] | None]
"""Called once the steps before it are stored: a spider's arguments, or None to skip it."""


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """unsilo's Scrapy settings (``unsilo.settings``) with command-line overrides on top."""
    settings = Settings()
    settings.setmodule("unsilo.settings", priority="project")
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


@dataclass
class CrawlOutcome:
    """What the crawl itself says about how it ended (the stored rows say the rest)."""

    finish_reason: str | None
    # per follow-up spider ("social", "signals"): (its close reason, the error that stopped
    # it before it ran); a step not run at all has no entry
    steps: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    pages: int = 0
    errors: int = 0
    stats: dict[str, Any] = field(default_factory=dict)


def _drop_tracebacks() -> None:
    """Keep Scrapy's error messages but drop their tracebacks, for this CLI process only.

    A fetch error is a fact we record, not a crash, and a cron mail full of stack frames
    hides what happened. Scrapy re-installs its log handler per crawler, so the records
    themselves are made without ``exc_info``; ``--verbose`` keeps them.
    """
    make_record = logging.getLogRecordFactory()

    def one_line(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if record.exc_info and record.levelno < logging.CRITICAL:
            record.msg = (
                f"{record.msg} ({record.exc_info[1]!r})" if record.exc_info[1] else record.msg
            )
            record.exc_info = None
        return record

    logging.setLogRecordFactory(one_line)


def run_crawl(
    url: str,
    settings: dict[str, Any],
    *,
    spider_args: dict[str, Any] | None = None,
    progress: Progress | None = None,
    follow_ups: Sequence[tuple[str, StepPlan]] = (),
    verbose: bool = False,
) -> CrawlOutcome:
    """Crawl ``url`` with the shop spider, then each follow-up spider in turn.

    All run in this one process, one after the other (Scrapy's reactor cannot restart).
    What a follow-up asks about depends on what was stored before it (the profiles the shop
    claims, the pages worth asking about), so its arguments come from its plan, called once
    the spiders before it have closed (their items stored) and only if the shop crawl was
    not interrupted; plans run in a thread, so the reactor keeps answering Ctrl-C. A
    follow-up that fails is logged and recorded without losing what came before. Blocks
    until done.
    """
    progress = progress or noop()
    if not verbose:
        _drop_tracebacks()
    if progress.owns_terminal():  # a live display: Scrapy's lines would tear it apart
        settings = {**settings, "LOG_ENABLED": False}
    process = CrawlerProcess(project_settings(settings))
    notes = NoteHandler(progress)
    if progress.owns_terminal():
        logging.root.addHandler(notes)
    watch = CrawlWatch(progress)
    if not verbose:
        # "Gave up retrying … 500" is a recorded fact of the page, not an error of the run;
        # set after Scrapy's logging setup, which resets the levels of existing loggers
        logging.getLogger("scrapy.downloadermiddlewares.retry").setLevel(logging.CRITICAL)
    shop = process.create_crawler("shop")
    outcome = CrawlOutcome(finish_reason=None)

    @defer.inlineCallbacks
    def crawl_all() -> Any:
        watch.watch("shop")
        watch.attach(shop)
        yield process.crawl(shop, url=url, **(spider_args or {}))
        watch.finish()
        outcome.finish_reason = shop.stats.get_value("finish_reason") if shop.stats else None
        for name, plan in follow_ups:
            if outcome.finish_reason == "shutdown":
                return
            try:  # a bad plan or an unreadable database must not cost what came before
                watch.watch(name)
                args = yield threads.deferToThread(plan)
                if args is None:
                    watch.skip("skipped: switched off, or nothing to ask")
                    continue
                crawler = process.create_crawler(name)
                watch.attach(crawler)
                yield process.crawl(crawler, **args)
                watch.finish()
            except Exception as exc:
                watch.finish()
                outcome.steps[name] = (None, _first_line(exc))
                logger.error("%s not crawled: %s", name, _first_line(exc))
                continue
            reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
            refused = crawler.stats.get_value(ARGUMENT_ERROR) if crawler.stats else None
            if refused:  # closed before asking anything: not crawled, as a failed plan
                outcome.steps[name] = (None, str(refused))  # the spider logged it
                continue
            outcome.steps[name] = (reason, None)
            if reason == "shutdown":
                return

    def stop(result: Any) -> Any:
        from twisted.internet import reactor

        # Ctrl-C/SIGTERM: Scrapy's signal handler has stopped the reactor already, while
        # ``reactor.running`` still says True; a second stop() would print a traceback
        with contextlib.suppress(ReactorNotRunning):
            reactor.stop()
        return result

    crawl_all().addBoth(stop)
    try:
        process.start(stop_after_crawl=False)
    finally:
        watch.stop()
        logging.root.removeHandler(notes)
    stats = shop.stats.get_stats() if shop.stats else {}
    outcome.pages, outcome.errors = watch.pages, watch.errors
    outcome.stats = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
    return outcome


def run_spider(name: str, args: dict[str, Any], settings: dict[str, Any]) -> str | None:
    """Run one spider (``unsilo signals``: the signals of a stored run) and return how it
    ended (Scrapy's finish reason). Blocks until done."""
    process = CrawlerProcess(project_settings(settings))
    crawler = process.create_crawler(name)
    process.crawl(crawler, **args)
    process.start()
    return crawler.stats.get_value("finish_reason") if crawler.stats else None


def _first_line(exc: BaseException) -> str:
    """An error as one line (DuckDB's messages run over several), for a log and a run row."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class NoteHandler(logging.Handler):
    """Scrapy's warnings and errors as one-line notes above a live display (not into it)."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.WARNING)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):  # logging must never raise into a crawl
            message = _first_line(Exception(record.getMessage()))
            self.progress.note(f"{record.levelname.lower()}: {message}")
