"""The ``shop`` spider: walks one webshop and yields a fact for every URL it tries.

It navigates only: which URL next (the start URL, the sitemaps named in robots.txt,
internal links) and what the fetch itself says (redirect chain, latency, depth, errors).
What a page *says* comes from ``unsilo.extract.extract_page``, from the one parse Scrapy
already made.

    scrapy crawl shop -a url=https://shop.example -s CLOSESPIDER_PAGECOUNT=500 -o pages.jsonl
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from unsilo import clock
from unsilo.extract import extract_page
from unsilo.items import PageRecord, SitemapUrlItem
from unsilo.jobdir import move_jobdir
from unsilo.middlewares import TrapSkipped
from unsilo.spider_arguments import CheckedArguments
from unsilo.spiders.fetch_facts import add_fetch_facts, failed_page
from unsilo.spiders.guards import CrawlGuards
from unsilo.spiders.og_images import OgImageProbing
from unsilo.spiders.sitemaps import SitemapReading
from unsilo.urls import (
    UrlScope,
    drop_query_params,
    is_http_url,
    registrable_domain,
    setting_list,
    url_domain,
    url_key,
    without_dropped_params,
)

if TYPE_CHECKING:  # handed in by the storage pipeline; the spider never reads storage
    from unsilo.pipeline.resume import ResumeState

MAX_IN_FLIGHT = 500  # page requests handed to Scrapy's scheduler at a time (UNSILO_MAX_IN_FLIGHT)
# Sitemap-only URLs wait until the crawl goes idle, unless it runs wide (links waiting beyond
# MAX_IN_FLIGHT: a big shop, or a trap that may never let it go idle): then one is fetched
# per page done, once pages this deep are done (UNSILO_SITEMAP_AFTER_DEPTH), when the
# shallow shop has had its chance to link them.
SITEMAP_AFTER_DEPTH = 3


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


class ShopSpider(CheckedArguments, CrawlGuards, OgImageProbing, SitemapReading, scrapy.Spider):
    """Crawl a shop breadth-first: start URL + sitemaps, then every internal link, politely,
    away from spider traps (``CrawlGuards``); then the heads of its pages' og:images
    (``OgImageProbing``)."""

    name = "shop"
    retry_after_backoff = True  # a 429/503 with Retry-After slows the shop down (middlewares)

    def __init__(
        self,
        url: str | None = None,
        sitemaps: str | bool = True,
        rdfa: str | bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.start_url = (url or "").strip()

        def read() -> None:
            if not url or not is_http_url(url):
                raise ValueError(f"shop spider needs -a url=<http(s) URL>, got {url!r}")

        self.read_arguments(read)  # a bad one closes the spider in start(), in one line
        host = urlsplit(self.start_url).hostname or ""
        self.site = registrable_domain(host)
        self.read_sitemaps = _truthy(sitemaps)
        self.rdfa = _truthy(rdfa)
        # URLs already requested: checked before a Request is even built, because building
        # Requests the dupefilter then drops is most of a link-heavy crawl's cost.
        self.seen: set[str] = set()
        # Final URLs whose links and social facts were already yielded: a page reached both
        # directly and through a redirect is described once.
        self.described: set[str] = set()
        # Sitemap URLs wait here, as strings, until the crawl is idle or runs wide (see
        # SITEMAP_AFTER_DEPTH): most are reached by links anyway (and then get their real
        # click path), and a frontier of 50,000 queued Requests would cost the memory a
        # string set does not.
        self.sitemap_only: set[str] = set()
        self.sitemaps_read: set[str] = set()
        # Links found beyond max_in_flight scheduled requests wait here as (url, found_via,
        # depth) tuples, a tenth of a Request's memory; as pages complete, they are handed to
        # the scheduler.
        self.frontier: deque[tuple[str, str, int]] = deque()
        self.in_flight = 0
        # a resumed run: what storage holds already (set by the storage pipeline on open)
        self.resumed: ResumeState | None = None
        self.depth_limit = 0  # DEPTH_LIMIT, read in from_crawler; checked for waiting links
        self.max_in_flight = MAX_IN_FLIGHT
        self.sitemap_after_depth = SITEMAP_AFTER_DEPTH
        self.depth_priority = 0  # DEPTH_PRIORITY: 1 = breadth-first (settings.py)
        # UNSILO_INCLUDE / UNSILO_EXCLUDE, read in from_crawler: which links are followed
        self.scope = UrlScope()

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """``JOBDIR`` names unsilo's job folder, not Scrapy's request queue (``move_jobdir``)."""
        super().update_settings(settings)
        move_jobdir(settings)

    def resume_from(self, state: ResumeState) -> None:
        """Continue a stored run: skip what it stored, fetch what its pages linked to."""
        self.resumed = state
        self.seen.update(state.fetched)
        self.described.update(state.described)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ShopSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.depth_limit = crawler.settings.getint("DEPTH_LIMIT")
        spider.max_in_flight = crawler.settings.getint("UNSILO_MAX_IN_FLIGHT", MAX_IN_FLIGHT)
        settings = crawler.settings
        spider.depth_priority = settings.getint("DEPTH_PRIORITY")
        spider.sitemap_after_depth = settings.getint(
            "UNSILO_SITEMAP_AFTER_DEPTH", SITEMAP_AFTER_DEPTH
        )
        spider.scope = UrlScope.of(
            setting_list(settings.get("UNSILO_INCLUDE")),
            setting_list(settings.get("UNSILO_EXCLUDE")),
        )
        # set (or reset) for the whole process: the social spider after it keys URLs alike
        drop_query_params(setting_list(settings.get("UNSILO_DROP_QUERY")))
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        spider.init_guards(crawler)
        spider.init_og_images(crawler)
        return spider

    def on_idle(self) -> None:
        """Nothing in flight: release waiting links, then the sitemap URLs no link led to."""
        self.in_flight = 0  # requests the dupefilter dropped never called back
        if self.frontier:
            self._release_frontier()
            raise DontCloseSpider
        leftovers = sorted(self.sitemap_only - self.seen)
        self.sitemap_only.clear()
        if not leftovers:
            if self.release_og_probes():  # every page done: the share images' turn
                raise DontCloseSpider
            return
        for url in leftovers:
            self.crawler.engine.crawl(self._page_request(url, found_via="sitemap"))
        raise DontCloseSpider

    def _release_frontier(self) -> None:
        while self.frontier and self.in_flight < self.max_in_flight:
            url, found_via, depth = self.frontier.popleft()
            admitted = self.traps.admit(url)
            if admitted is None or (admitted != url and admitted in self.seen):
                continue
            request = self._page_request(admitted, found_via=found_via)
            request.meta["depth"] = depth  # not through DepthMiddleware: set it here
            request.priority = -depth * self.depth_priority  # as DepthMiddleware would
            self.crawler.engine.crawl(request)

    def _release_sitemap_url(self) -> None:
        """One waiting sitemap URL into the crawl, ahead of the queue (its priority is a
        start page's), so a crawl kept busy by deep pages never starves them; one per page
        done keeps the queue from growing by more than the sitemap holds."""
        while self.sitemap_only:
            url = self.sitemap_only.pop()
            if url not in self.seen and self.traps.admit(url) == url:
                self.crawler.engine.crawl(self._page_request(url, found_via="sitemap"))
                return

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.refuse_bad_arguments()
        if self.start_url not in self.seen:
            yield self._page_request(self.start_url, found_via="start")
        if self.resumed is not None:
            for url, depth in self.resumed.pending:
                # linked from a stored page, no row of its own: requested even when a stored
                # redirect reached it (new links to such a final URL are still not followed)
                self.seen.discard(url)
                for request in self._follow(url, "link", depth):
                    # a start request gets no depth from DepthMiddleware: it would be 0
                    request.meta["depth"] = depth
                    yield request
        if self.read_sitemaps:
            robots = urljoin(self.start_url, "/robots.txt")
            yield scrapy.Request(
                robots,
                callback=self.parse_robots,
                errback=self._ignore,
                meta={"dont_obey_robotstxt": True, "unsilo_aux": True},
                dont_filter=True,
                priority=10,
            )

    # --- navigation ---------------------------------------------------------------

    def _page_request(self, url: str, *, found_via: str) -> scrapy.Request:
        self.seen.add(url)
        self.in_flight += 1
        return scrapy.Request(
            url, callback=self.parse_page, errback=self.on_error, meta={"found_via": found_via}
        )

    def _follow(self, url: str, found_via: str, depth: int) -> Iterator[scrapy.Request]:
        url = without_dropped_params(url.split("#", 1)[0])
        if url in self.seen or not self.scope.allows(url):
            return
        url = self.guard_link(url, depth)  # a trap, or over the depth bound: None
        if url is None or url in self.seen:
            return
        if self.in_flight >= self.max_in_flight:
            self.seen.add(url)
            self.frontier.append((url, found_via, depth))
            return
        yield self._page_request(url, found_via=found_via)

    def parse_page(self, response: Response) -> Iterator[Any]:
        self.in_flight -= 1
        self._release_frontier()
        if self.frontier and response.meta.get("depth", 0) >= self.sitemap_after_depth:
            self._release_sitemap_url()  # a crawl this wide may never go idle
        yield from self.robots_items()
        record = extract_page(response, site=self.site, rdfa=self.rdfa, now=clock.now())
        page = record.page
        add_fetch_facts(page, response)
        self.seen.add(response.url)
        if page.final_url_key in self.described:
            # reached again (through a redirect, or a tracking-parameter twin): the fetch
            # is a fact, its content was described already
            yield PageRecord(page=page)
            return
        self.described.add(page.final_url_key)
        yield record
        yield from self.trap_items(response, record)
        self.note_og_image(record)
        if page.is_html and page.status is not None and page.status < 400:
            depth = response.meta.get("depth", 0) + 1
            for link in record.links:
                if link.internal:
                    yield from self._follow(link.target_url, "link", depth)

    def parse_robots(self, response: Response) -> Iterator[Any]:
        sitemaps = []
        if response.status == 200:
            sitemaps = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        source = "robots" if sitemaps else "default"
        for sitemap in sitemaps or [urljoin(self.start_url, "/sitemap.xml")]:
            if request := self.sitemap_request(sitemap, source):
                yield request

    def sitemap_page(self, loc: str, lastmod: str | None, sitemap_url: str) -> Iterator[Any]:
        """A ``<urlset>`` entry: a fact, and a page to fetch if no link leads to it."""
        if self.resumed is None or loc not in self.resumed.sitemap_urls:
            yield SitemapUrlItem(
                url=loc,
                url_key=url_key(loc),
                sitemap_url=sitemap_url,
                lastmod=lastmod,
            )
        page_url = without_dropped_params(loc.split("#", 1)[0])
        site = url_domain(loc)
        if site == self.site and self.scope.allows(page_url):
            self.sitemap_only.add(page_url)

    # --- facts of the fetch itself (spiders/fetch_facts.py) ------------------------

    def on_error(self, failure: Failure) -> Iterator[Any]:
        """A URL we could not fetch is still a fact: record why, never drop it."""
        self.in_flight -= 1
        self._release_frontier()
        yield from self.robots_items()
        if not failure.check(TrapSkipped):  # queued before its family proved a trap
            yield failed_page(failure, self.crawler.settings)

    def _ignore(self, failure: Failure) -> None:
        self.logger.info("auxiliary request failed: %s", failure.getErrorMessage())
