"""og:image probes: fetch the head of each distinct share image once a run, after the pages.

A mixin of the ``shop`` spider, kept apart because it has its own small state (which images
are wanted, the budget) and is no navigation: a probe is never followed for links and is
no shop page. Probes are released when the page crawl has run out of work (the spider's idle
hook), so they never take a page's place, and ``unsilo.page_limit`` does not count them
against ``CLOSESPIDER_PAGECOUNT``. A run that stops at its page limit therefore probes no
image: the findings say nothing about images they did not see.

Only the first ``OG_IMAGE_HEAD_BYTES`` are downloaded (Scrapy's ``bytes_received`` signal
raising ``StopDownload(fail=False)``, the documented way): enough for every common image
header, which ``imagesize`` reads for width and height, and never a whole 20 MB hero image.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import imagesize
import scrapy
from scrapy import signals
from scrapy.exceptions import StopDownload
from scrapy.http import Response
from twisted.python.failure import Failure

from unsilo.fetch_errors import describe_failure
from unsilo.items import OgImageItem, PageRecord
from unsilo.urls import is_http_url, url_key

OG_IMAGE_BUDGET = 300
"""Distinct og:image URLs probed per run (``UNSILO_OG_IMAGE_BUDGET``); the rest are not."""
OG_IMAGE_HEAD_BYTES = 64 * 1024
"""Bytes read of each image before the download is stopped: the header is in the first few."""
OG_IMAGE_PROPERTIES = ("og:image", "og:image:url", "og:image:secure_url")
"""Where a page names its share image: the first non-blank of these in page order wins, as in
the SQL macro meta_content (int_page_share_meta joins og_images on that very string)."""
PROBE = "unsilo_og_probe"  # request meta key marking an og:image probe


def og_image_to_probe(record: PageRecord) -> str | None:
    """The absolute http(s) og:image of an indexable HTML page, else None.

    Indexable as the models judge it: 200, HTML, no noindex, canonical absent or its own URL.
    A relative or non-http og:image is not fetched: that is a finding of its own.
    """
    page, social = record.page, record.social
    if social is None or page.status != 200 or not page.is_html or page.noindex:
        return None
    if page.canonical_key is not None and page.canonical_key != page.final_url_key:
        return None
    for tag in social.og:  # page order, as the SQL macro reads it
        content = tag.content.strip()
        if tag.property in OG_IMAGE_PROPERTIES and content:
            return content if is_http_url(content) else None
    return None


def image_size(head: bytes) -> tuple[int | None, int | None]:
    """Pixel (width, height) from an image's first bytes, (None, None) when unreadable.

    >>> image_size(b"not an image")
    (None, None)
    """
    width, height = imagesize.get(io.BytesIO(head))  # (-1, -1) for anything it cannot read
    if width <= 0 or height <= 0:
        return None, None
    return int(width), int(height)


class OgImageProbing:
    """Collects the og:image URLs of described pages and probes each once, within budget."""

    crawler: Any

    def init_og_images(self, crawler: Any) -> None:
        self.og_image_budget = crawler.settings.getint("UNSILO_OG_IMAGE_BUDGET", OG_IMAGE_BUDGET)
        self.og_images_wanted: dict[str, None] = {}  # insertion-ordered set of URLs
        self.og_images_released = False
        # True once the probes run: every page is done, nothing after this is a shop page
        self.probing_og_images = False
        crawler.signals.connect(self._stop_after_head, signal=signals.bytes_received)

    def note_og_image(self, record: PageRecord) -> None:
        """Remember the page's og:image for the probe phase (once; beyond budget, not at all)."""
        url = og_image_to_probe(record)
        if url is None or url in self.og_images_wanted or self.og_images_released:
            return
        if len(self.og_images_wanted) >= self.og_image_budget:
            self._count("unsilo/og_images_over_budget")
            return
        self.og_images_wanted[url] = None

    def release_og_probes(self) -> bool:
        """Schedule every wanted probe, once; True when some were (the spider stays open)."""
        if self.og_images_released or not self.og_images_wanted:
            return False
        self.og_images_released = True
        self.probing_og_images = True
        for url in self.og_images_wanted:
            self.crawler.engine.crawl(self._og_request(url))
        return True

    def _count(self, stat: str) -> None:
        if self.crawler.stats is not None:  # None on a crawler built for a unit test
            self.crawler.stats.inc_value(stat)

    def _og_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.on_og_image,
            errback=self.on_og_image_error,
            dont_filter=True,  # an image URL that is also a crawled URL is probed all the same
            meta={
                PROBE: url,
                "handle_httpstatus_all": True,
                "unsilo_aux": True,
                # only the head is read: a 30 MB image announced as such is still probed
                "download_maxsize": 0,
                "download_warnsize": 0,
            },
        )

    def _stop_after_head(self, data: bytes, request: scrapy.Request, spider: Any) -> None:
        if PROBE not in request.meta:
            return
        read = request.meta.get("unsilo_og_bytes", 0) + len(data)
        request.meta["unsilo_og_bytes"] = read
        if read >= OG_IMAGE_HEAD_BYTES:
            raise StopDownload(fail=False)

    def on_og_image(self, response: Response) -> Iterator[OgImageItem]:
        url = response.meta[PROBE]
        content_type = response.headers.get("Content-Type")
        width, height = image_size(response.body[:OG_IMAGE_HEAD_BYTES])
        self._count("unsilo/og_images_probed")
        yield OgImageItem(
            url=url,
            url_key=url_key(url),
            status=response.status,
            content_type=content_type.decode("latin-1").strip() if content_type else None,
            width=width,
            height=height,
            bytes_read=len(response.body),
        )

    def on_og_image_error(self, failure: Failure) -> Iterator[OgImageItem]:
        url = failure.request.meta[PROBE]  # type: ignore[attr-defined]
        failed = describe_failure(failure, self.crawler.settings)
        self._count("unsilo/og_images_probed")
        yield OgImageItem(
            url=url, url_key=url_key(url), status=None, error=failed.message, error_kind=failed.kind
        )
