"""Navigation decisions of the shop spider, on responses built in memory (no crawl)."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

from unsilo.items import SitemapUrlItem
from unsilo.spiders.shop import ShopSpider

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://shop.example/sitemap.xml</loc></sitemap>
<sitemap><loc>https://shop.example/sitemap-1.xml</loc></sitemap>
</sitemapindex>"""
URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://shop.example/a</loc><lastmod>2026-11-01</lastmod></url>
<url><loc>https://www.shop.example/b#x</loc></url>
<url><loc>https://elsewhere.example/c</loc></url>
<url><loc>javascript:alert(1)</loc></url>
</urlset>"""


def spider() -> ShopSpider:
    crawler = get_crawler(ShopSpider, {"EXTENSIONS_BASE": {}})
    return ShopSpider.from_crawler(crawler, url="https://shop.example/")


def response(url: str, body: bytes) -> TextResponse:
    return TextResponse(url=url, body=body, request=Request(url))


def test_a_sitemap_index_that_lists_itself_is_read_once() -> None:
    shop = spider()
    shop.sitemaps_read.add("https://shop.example/sitemap.xml")  # being read now
    out = list(shop.parse_sitemap(response("https://shop.example/sitemap.xml", INDEX)))
    assert [r.url for r in out] == ["https://shop.example/sitemap-1.xml"]
    assert list(shop.parse_sitemap(response("https://shop.example/sitemap.xml", INDEX))) == []


def test_sitemap_urls_wait_for_the_links_and_only_orphans_are_fetched() -> None:
    shop = spider()
    items = list(shop.parse_sitemap(response("https://shop.example/sitemap-1.xml", URLSET)))
    assert [i.url for i in items if isinstance(i, SitemapUrlItem)] == [
        "https://shop.example/a",
        "https://www.shop.example/b#x",
        "https://elsewhere.example/c",
    ]
    assert all(isinstance(i, SitemapUrlItem) for i in items)  # no page request yet
    assert shop.sitemap_only == {"https://shop.example/a", "https://www.shop.example/b"}
    shop.seen.add("https://shop.example/a")  # reached by a link meanwhile
    scheduled: list[Request] = []

    class Engine:
        def crawl(self, request: Request) -> None:
            scheduled.append(request)

    shop.crawler.engine = Engine()  # type: ignore[assignment]
    with pytest.raises(DontCloseSpider):  # there was work left
        shop.on_idle()
    assert [(r.url, r.meta["found_via"]) for r in scheduled] == [
        ("https://www.shop.example/b", "sitemap")
    ]
    shop.on_idle()  # nothing left: the spider may close
