"""Sitemap reading for the ``shop`` spider: which sitemap files to fetch, and what each held.

A mixin, like ``OgImageProbing``: the files come from robots.txt (or ``/sitemap.xml`` when
it names none) and from sitemap indexes, and nowhere else: a ``<sitemap>`` entry inside a
``<urlset>`` is never followed, and a ``<url>`` entry is never taken from an index. Each
file is read as a stream by ``unsilo.extract.sitemaps.SitemapReader`` within the protocol's
limits (50,000 URLs, 50 MB) and unsilo's own download limit, ``DOWNLOAD_MAXSIZE``, which
applies after decompression too; Scrapy already applies it to the compressed download.
Every file tried becomes a ``SitemapFileItem``, read or not, with its problems and why.
What to do with a page entry is the spider's (``sitemap_page``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from unsilo.extract.sitemaps import SitemapReader
from unsilo.fetch_errors import describe_failure
from unsilo.items import SitemapFileItem
from unsilo.urls import is_http_url, url_key

SOURCE = "unsilo_sitemap_source"  # request meta key: where the sitemap's URL came from


class SitemapReading:
    """Fetch sitemap files once each and yield their page entries and their own facts."""

    crawler: Any
    logger: Any
    sitemaps_read: set[str]

    def sitemap_request(self, url: str, source: str) -> scrapy.Request | None:
        """A request for a sitemap file, unless it was requested already this crawl.

        dont_filter: a resumed JOBDIR crawl must read the sitemaps again to find orphans;
        our own set keeps a sitemap index that lists itself from looping.
        """
        if url in self.sitemaps_read:
            return None
        self.sitemaps_read.add(url)
        return scrapy.Request(
            url,
            callback=self.parse_sitemap,
            errback=self.sitemap_failed,
            meta={"unsilo_aux": True, SOURCE: source},
            dont_filter=True,
        )

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        source = response.meta.get(SOURCE, "robots")
        if response.status != 200:
            yield self._sitemap_fact(
                response.url,
                source,
                response.status,
                ["http_status"],
                f"answered HTTP {response.status}",
            )
            return
        limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
        reader = SitemapReader(
            response.body, max_bytes=response.meta.get("download_maxsize", limit)
        )
        for entry in reader:
            if not is_http_url(entry.loc):
                continue
            if reader.kind == "sitemapindex":
                if request := self.sitemap_request(entry.loc, "index"):
                    yield request
            else:
                yield from self.sitemap_page(entry.loc, entry.lastmod, response.url)
        if reader.problems:
            self.logger.warning("sitemap %s: %s", response.url, "; ".join(reader.reasons))
        yield self._sitemap_fact(
            response.url,
            source,
            response.status,
            list(reader.problems),
            "; ".join(reader.reasons) or None,
            kind=reader.kind,
            urls=reader.urls,
            bytes_read=reader.bytes_read,
            compressed=reader.compressed,
        )

    def sitemap_failed(self, failure: Failure) -> SitemapFileItem:
        """A sitemap that could not be fetched is a fact too, with the reason."""
        request = failure.request  # type: ignore[attr-defined]
        failed = describe_failure(failure, self.crawler.settings)
        self.logger.info("sitemap %s could not be fetched: %s", request.url, failed.message)
        return self._sitemap_fact(
            request.url, request.meta.get(SOURCE, "robots"), None, ["fetch_error"], failed.message
        )

    def sitemap_page(self, loc: str, lastmod: str | None, sitemap_url: str) -> Iterator[Any]:
        """What the spider makes of one page entry of a ``<urlset>``."""
        raise NotImplementedError

    @staticmethod
    def _sitemap_fact(
        url: str,
        source: str,
        status: int | None,
        problems: list[str],
        reason: str | None,
        **read: Any,
    ) -> SitemapFileItem:
        """The one builder of a sitemap file's fact; ``read`` is what the reader found."""
        return SitemapFileItem(
            url=url,
            url_key=url_key(url),
            source=source,
            status=status,
            problems=problems,
            reason=reason,
            **read,
        )
