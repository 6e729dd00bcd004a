"""Run the ``shop`` spider, then the ``social`` one, in this process, the way the CLI needs it.

Scrapy's reactor runs once per process, so the CLI runs exactly one crawl per
invocation; tests that need many crawls start the CLI or ``scrapy crawl`` in subprocesses.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.internet import defer, threads

from unsilo.items import PageItem, PageRecord

logger = logging.getLogger(__name__)

SocialPlan = Callable[[], dict[str, Any] | None]
"""Called once the shop crawl is stored: the ``social`` spider's arguments, or None to skip."""


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
    social_reason: str | None = None
    social_error: str | None = None
    pages: int = 0
    errors: int = 0
    stats: dict[str, Any] = field(default_factory=dict)


class Progress:
    """Counts pages as they are scraped and prints a line now and then.

    On a terminal the line is refreshed every second; under cron (no tty) a plain log
    line is printed every 30 seconds, so a cron mail stays short.
    """

    def __init__(self, stream: TextIO = sys.stderr, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.tty = stream.isatty()
        self.every = 1.0 if self.tty else 30.0
        self.pages = 0
        self.errors = 0
        self._last = time.monotonic()

    def item_scraped(self, item: Any) -> None:
        if isinstance(item, PageRecord):
            item = item.page
        if not isinstance(item, PageItem):
            return
        self.pages += 1
        if item.status is None or item.status >= 400:
            self.errors += 1
        now = time.monotonic()
        if not self.quiet and now - self._last >= self.every:
            self._last = now
            self._print()

    def _print(self, end: str | None = None) -> None:
        line = f"crawled {self.pages} URLs ({self.errors} errors)"
        if self.tty:
            self.stream.write("\r" + line + (end or ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if not self.quiet:
            self._print(end="\n")


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
    plan_social: SocialPlan | None = None,
    verbose: bool = False,
) -> CrawlOutcome:
    """Crawl ``url`` with the shop spider, then the shop's social profiles.

    Both run in this one process, one after the other (Scrapy's reactor cannot restart).
    Which profiles to audit depends on what the shop crawl found, so the social spider's
    arguments come from ``plan_social``, called once the shop spider has closed (its items
    are stored) and only if it was not interrupted; it runs in a thread, so the reactor
    keeps answering Ctrl-C while it analyses. Blocks until done.
    """
    if not verbose:
        _drop_tracebacks()
    process = CrawlerProcess(project_settings(settings))
    if not verbose:
        # "Gave up retrying … 500" is a recorded fact of the page, not an error of the run;
        # set after Scrapy's logging setup, which resets the levels of existing loggers
        logging.getLogger("scrapy.downloadermiddlewares.retry").setLevel(logging.CRITICAL)
    shop = process.create_crawler("shop")
    if progress is not None:
        shop.signals.connect(progress.item_scraped, signal=signals.item_scraped)
    outcome = CrawlOutcome(finish_reason=None)

    @defer.inlineCallbacks
    def crawl_all() -> Any:
        yield process.crawl(shop, url=url, **(spider_args or {}))
        outcome.finish_reason = shop.stats.get_value("finish_reason") if shop.stats else None
        if plan_social is None or outcome.finish_reason == "shutdown":
            return
        try:  # a bad profile list or an unreadable database must not cost the shop crawl
            social_args = yield threads.deferToThread(plan_social)
            if social_args is None:
                return
            social = process.create_crawler("social")
            yield process.crawl(social, **social_args)
        except Exception as exc:
            outcome.social_error = _first_line(exc)
            logger.error("social profiles not crawled: %s", outcome.social_error)
            return
        outcome.social_reason = social.stats.get_value("finish_reason") if social.stats else None

    def stop(result: Any) -> Any:
        from twisted.internet import reactor

        if reactor.running:
            reactor.stop()
        return result

    crawl_all().addBoth(stop)
    process.start(stop_after_crawl=False)
    stats = shop.stats.get_stats() if shop.stats else {}
    if progress is not None:
        progress.done()
    outcome.pages = progress.pages if progress else 0
    outcome.errors = progress.errors if progress else 0
    outcome.stats = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
    return outcome


def _first_line(exc: BaseException) -> str:
    """An error as one line (DuckDB's messages run over several), for a log and a run row."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
