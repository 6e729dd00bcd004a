"""Reading a running Scrapy crawler for progress: what the shop crawl, the social profiles
and the signals step have done and still have queued, once a second.

Read, never steered: the shop's pages are counted as they are scraped (a ``PageItem`` each,
its errors too), the queue is the scheduler's length plus the downloads in flight, and the
signals step is read per source from its spider's own ledger (``SourceRun``). The figures go
to ``unsilo.progress.Progress``, which decides how (and whether) they are shown.
"""

from __future__ import annotations

import contextlib
from typing import Any

from scrapy import signals
from twisted.internet.task import LoopingCall

from unsilo.brands import brand
from unsilo.items import PageItem, PageRecord
from unsilo.progress import Progress, Tally

PHASES = {"shop": "shop crawl", "social": "social profiles", "signals": "signals"}
"""The phase each spider is, as the display names it."""

TICK = 1.0
"""Seconds between samples: the live display's pace (plain lines are spaced by Progress)."""


class CrawlWatch:
    """Samples the crawler of the running phase every ``TICK`` seconds into ``progress``."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.name: str | None = None
        self.crawler: Any = None
        self.pages = 0
        self.errors = 0
        self.loop: LoopingCall | None = None

    def sample(self) -> None:
        """Start sampling once a spider is open: the reactor Scrapy chose is running by then
        (a ``LoopingCall`` made earlier would install Twisted's default reactor instead)."""
        if self.loop is None:
            self.loop = LoopingCall(self.tick)
            self.loop.start(TICK, now=False)

    def stop(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.finish()

    def watch(self, name: str) -> None:
        """Spider ``name``'s phase starts (its plan, reading the stored run, counts in it)."""
        self.finish()
        self.name = name
        self.progress.start(PHASES.get(name, name))

    def attach(self, crawler: Any) -> None:
        """``crawler`` is about to run the watched phase's spider: read it from now on."""
        self.crawler = crawler
        crawler.signals.connect(self.sample, signal=signals.spider_opened)
        if self.name == "shop":
            crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        self.tick()

    def skip(self, why: str) -> None:
        """The watched phase has nothing to do: it ends saying why."""
        if self.name is not None:
            label = PHASES.get(self.name, self.name)
            self.progress.update(label, [Tally(label, 0, None, "requests", why)])
            self.progress.end(label)
            self.name = None

    def finish(self) -> None:
        """The watched crawler is done (or never started): its phase ends with its figures."""
        if self.name is None:
            return
        self.tick()
        self.progress.end(PHASES.get(self.name, self.name))
        self.name, self.crawler = None, None

    def item_scraped(self, item: Any) -> None:
        if isinstance(item, PageRecord):
            item = item.page
        if isinstance(item, PageItem):
            self.pages += 1
            if item.status is None or item.status >= 400:
                self.errors += 1

    def tick(self) -> None:
        if self.name is None or self.crawler is None:
            return
        with contextlib.suppress(Exception):  # a display must never stop a crawl
            self.progress.update(PHASES.get(self.name, self.name), self.tallies())

    def tallies(self) -> list[Tally]:
        if self.name == "shop":
            queued = queue_length(self.crawler)
            cap = self.crawler.settings.getint("CLOSESPIDER_PAGECOUNT") if self.crawler else 0
            if cap and queued is not None:
                queued = max(0, min(queued, cap - self.pages))
            note = f"{self.errors:,} error{'s' if self.errors != 1 else ''}" if self.errors else ""
            return [Tally("shop crawl", self.pages, queued, "pages", note)]
        if self.name == "signals":
            return source_tallies(self.crawler)
        stats = self.crawler.stats if self.crawler is not None else None
        done = int(stats.get_value("response_received_count", 0)) if stats else 0
        label = PHASES.get(self.name or "", self.name or "")
        return [Tally(label, done, queue_length(self.crawler), "requests")]


def queue_length(crawler: Any) -> int | None:
    """Requests the crawler has still to make: scheduled plus downloading; None before it runs."""
    engine = getattr(crawler, "engine", None)
    if engine is None:
        return None
    scheduler = getattr(engine, "scheduler", None)
    try:
        waiting = len(scheduler) if scheduler is not None else 0
    except TypeError:  # a scheduler without a length: the queue is unknown
        return None
    downloader = getattr(engine, "downloader", None)
    return waiting + len(getattr(downloader, "active", ()) or ())


def source_tallies(crawler: Any) -> list[Tally]:
    """One row per signal source the spider has begun: calls done, queued, signals found."""
    runs = getattr(getattr(crawler, "spider", None), "runs", None) or {}
    rows = []
    for name, run in sorted(runs.items()):
        done = run.requests - run.in_flight
        queued = 0 if run.done else len(run.queue) + run.in_flight
        note = f"{run.found:,} found" + (f", {run.stopped.status}" if run.stopped else "")
        label = f"signals: {brand(name)}"
        rows.append(Tally(label, done, queued, "requests", note, finished=run.done))
    return rows
