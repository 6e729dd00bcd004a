"""The benchmark's baseline: a bare Scrapy spider that follows the same links, extracts nothing.

It skips links it has already requested before building a Request (the fair baseline: a
naive spider that builds Requests for the dupefilter to drop is 1.7–2× slower).
Run by ``bench/crawl_bench.py`` with ``scrapy runspider`` and the same settings as ``shop``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = url
        # allow_domains compares host *and port* for IP hosts, so filter by netloc here.
        self.netloc = urlsplit(url).netloc
        self.link_extractor = LinkExtractor()
        self.seen: set[str] = {url}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        if not hasattr(response, "text") or response.status >= 400:
            return
        for link in self.link_extractor.extract_links(response):
            if link.url not in self.seen and urlsplit(link.url).netloc == self.netloc:
                self.seen.add(link.url)
                yield scrapy.Request(link.url, callback=self.parse)
