"""Navigation decisions of the shop spider, on responses built in memory (no crawl)."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

from unsilo.items import PageRecord, SitemapFileItem, SitemapUrlItem
from unsilo.pipeline.resume import ResumeState
from unsilo.spiders.shop import ShopSpider
from unsilo.urls import url_key

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
    assert [r.url for r in out if isinstance(r, Request)] == ["https://shop.example/sitemap-1.xml"]
    again = shop.parse_sitemap(response("https://shop.example/sitemap.xml", INDEX))
    assert [r for r in again if isinstance(r, Request)] == []
    (fact,) = [i for i in out if isinstance(i, SitemapFileItem)]
    assert (fact.kind, fact.urls, fact.problems) == ("sitemapindex", 2, [])


def test_sitemap_urls_wait_for_the_links_and_only_orphans_are_fetched() -> None:
    shop = spider()
    items = list(shop.parse_sitemap(response("https://shop.example/sitemap-1.xml", URLSET)))
    assert [i.url for i in items if isinstance(i, SitemapUrlItem)] == [
        "https://shop.example/a",
        "https://www.shop.example/b#x",
        "https://elsewhere.example/c",
    ]
    assert not any(isinstance(i, Request) for i in items)  # no page request yet
    (fact,) = [i for i in items if isinstance(i, SitemapFileItem)]
    assert (fact.kind, fact.urls, fact.problems) == ("urlset", 4, [])  # javascript: counted
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


def start_requests(shop: ShopSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [r async for r in shop.start()]

    return asyncio.run(collect())


def test_a_resumed_spider_fetches_what_storage_lacks_at_the_stored_depth() -> None:
    shop = spider()
    shop.read_sitemaps = False
    stored = {"https://shop.example/", "https://shop.example/a", "https://shop.example/c"}
    shop.resume_from(
        ResumeState(
            fetched=stored,  # /c only as the final URL of a redirect
            pending=[("https://shop.example/b", 3), ("https://shop.example/c", 1)],
        )
    )
    requests = start_requests(shop)
    # the start URL is stored already; /b keeps the depth its link gave it, as
    # DepthMiddleware leaves start requests alone (its children must be depth 4, not 1)
    assert [(r.url, r.meta["depth"]) for r in requests] == [
        ("https://shop.example/b", 3),
        ("https://shop.example/c", 1),
    ]
    # a link found later to a stored page (or a redirect's final URL) is not followed
    assert list(shop._follow("https://shop.example/a", "link", 2)) == []


def test_a_resumed_spider_does_not_describe_a_stored_page_again() -> None:
    shop = spider()
    stored = "https://shop.example/category/lamps"
    shop.resume_from(ResumeState(described={url_key(stored)}))
    body = b'<html><body><a href="/product/1">lamp</a></body></html>'
    redirected = Request(stored, meta={"redirect_urls": ["https://shop.example/kampagne"]})
    reached = HtmlResponse(url=stored, body=body, request=redirected)
    out = list(shop.parse_page(reached))
    # the redirect is a fact of its own; the category's links were stored before the kill
    assert [type(o) for o in out] == [PageRecord]
    assert (out[0].page.url, out[0].links) == ("https://shop.example/kampagne", [])
