"""The shop spider's guards against a hostile site: spider traps, the depth bound, and the
robots.txt facts the RFC 9309 middleware (``unsilo.robots_fetch``) hands over.

A mixin (like ``OgImageProbing``) so ``spiders/shop.py`` keeps to navigation: it asks
``guard_link`` before following a link and yields ``trap_items`` and ``robots_items`` with
its pages. What the guards met ends up in the crawl's stats when it closes, where the run's
judge (``pipeline.runs``) reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy import signals
from scrapy.http import Response

from unsilo.items import CrawlTrapItem, PageRecord, RobotsTxtItem
from unsilo.spiders.traps import TRAP_REPEATS, TrapGuard, content_fingerprint


class CrawlGuards:
    """Trap guard, depth bound count and robots.txt facts for a page spider."""

    logger: Any
    crawler: Any
    depth_limit: int

    def init_guards(self, crawler: Any) -> None:
        self.traps = TrapGuard(crawler.settings.getint("UNSILO_TRAP_REPEATS", TRAP_REPEATS))
        self.too_deep = 0  # links not followed because of DEPTH_LIMIT (a bound the run met)
        # robots.txt outcomes (unsilo.robots_fetch) waiting to be yielded with the next page
        self.robots_facts: list[RobotsTxtItem] = []
        crawler.signals.connect(self.record_guards, signal=signals.spider_closed)

    def guard_link(self, url: str, depth: int) -> str | None:
        """``url`` as it should be followed (a trap parameter dropped), or None: not at all."""
        admitted = self.traps.admit(url)
        if admitted is not None and self.depth_limit and depth > self.depth_limit:
            self.too_deep += 1
            return None
        return admitted

    def trap_items(self, response: Response, record: PageRecord) -> Iterator[CrawlTrapItem]:
        """The URL families this page turned into traps (a 200 HTML page only)."""
        page = record.page
        if not page.is_html or page.status != 200:
            return
        links = (link.target_url for link in record.links if link.internal)
        for trap in self.traps.observe(response.url, content_fingerprint(page.title, links)):
            self.logger.warning(
                "crawl trap: %s %s (%d URLs, %d without new content); not followed",
                trap.kind, trap.pattern, trap.urls, trap.repeats,
            )  # fmt: skip
            yield trap

    def note_robots(self, fact: RobotsTxtItem) -> None:
        """How a host's robots.txt answered (``unsilo.robots_fetch``): stored with the next page."""
        self.robots_facts.append(fact)

    def robots_items(self) -> Iterator[RobotsTxtItem]:
        while self.robots_facts:
            yield self.robots_facts.pop(0)

    def record_guards(self) -> None:
        """The bounds the crawl met, as stats the run's judge reads."""
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("unsilo/depth_limit_skipped", self.too_deep)
            stats.set_value("unsilo/trap_skipped", self.traps.skipped)
