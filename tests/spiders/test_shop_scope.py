"""Which URLs the shop spider follows: include/exclude patterns and dropped query parameters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from unsilo.items import PageRecord
from unsilo.spiders.shop import ShopSpider
from unsilo.urls import drop_query_params, url_key

PAGE = b"""<html><head><title>Home</title></head><body>
<a href="/shop/shoes?sort=price">shoes by price</a>
<a href="/shop/shoes?sort=name">shoes by name</a>
<a href="/shop/bags?page=2&amp;sessionid=abc">bags page 2</a>
<a href="/cart">cart</a>
<a href="/blog/post">blog</a>
</body></html>"""
SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://shop.example/shop/hats?sort=new</loc></url>
<url><loc>https://shop.example/cart/items</loc></url>
<url><loc>https://shop.example/blog/old</loc></url>
</urlset>"""


@pytest.fixture(autouse=True)
def no_dropped_params() -> Iterator[None]:
    yield
    drop_query_params([])  # the setting is per process: leave none behind


def spider(settings: dict) -> ShopSpider:
    crawler = get_crawler(ShopSpider, {"EXTENSIONS_BASE": {}, **settings})
    return ShopSpider.from_crawler(crawler, url="https://shop.example/")


def followed(shop: ShopSpider) -> list[str]:
    home = "https://shop.example/"
    response = HtmlResponse(url=home, body=PAGE, encoding="utf-8", request=Request(home))
    return [r.url for r in shop.parse_page(response) if isinstance(r, Request)]


def test_without_a_scope_every_internal_link_is_followed() -> None:
    assert followed(spider({})) == [
        "https://shop.example/shop/shoes?sort=price",
        "https://shop.example/shop/shoes?sort=name",
        "https://shop.example/shop/bags?page=2&sessionid=abc",
        "https://shop.example/cart",
        "https://shop.example/blog/post",
    ]


def test_include_and_exclude_patterns_decide_which_links_are_followed() -> None:
    shop = spider({"UNSILO_INCLUDE": ["/shop/", "/cart"], "UNSILO_EXCLUDE": '["[?&]sort="]'})
    assert followed(shop) == [
        "https://shop.example/shop/bags?page=2&sessionid=abc",
        "https://shop.example/cart",
    ]


def test_dropped_parameters_make_variants_one_request_and_one_key() -> None:
    shop = spider({"UNSILO_DROP_QUERY": ["sort", "session*"]})
    assert followed(shop) == [
        "https://shop.example/shop/shoes",
        "https://shop.example/shop/bags?page=2",
        "https://shop.example/cart",
        "https://shop.example/blog/post",
    ]
    # the links keep what the page says; their keys meet the page fetched without it
    assert url_key("https://shop.example/shop/shoes?sort=name") == "https://shop.example/shop/shoes"


def test_the_link_rows_still_record_links_out_of_scope() -> None:
    shop = spider({"UNSILO_EXCLUDE": ["/cart"]})
    home = "https://shop.example/"
    response = HtmlResponse(url=home, body=PAGE, encoding="utf-8", request=Request(home))
    [record] = [r for r in shop.parse_page(response) if isinstance(r, PageRecord)]
    assert "https://shop.example/cart" in {link.target_url for link in record.links}


def test_sitemap_urls_out_of_scope_are_recorded_but_not_fetched() -> None:
    shop = spider({"UNSILO_EXCLUDE": ["/cart"], "UNSILO_DROP_QUERY": ["sort"]})
    url = "https://shop.example/sitemap.xml"
    items = list(shop.parse_sitemap(TextResponse(url=url, body=SITEMAP, request=Request(url))))
    # what the sitemap lists is a fact either way (and the sitemap file itself is one)
    assert [type(i).__name__ for i in items] == [*["SitemapUrlItem"] * 3, "SitemapFileItem"]
    assert shop.sitemap_only == {"https://shop.example/shop/hats", "https://shop.example/blog/old"}


def test_the_start_url_is_fetched_even_when_the_include_patterns_miss_it() -> None:
    import asyncio

    shop = spider({"UNSILO_INCLUDE": ["/shop/"], "UNSILO_DROP_QUERY": []})

    async def collect() -> list[str]:
        return [r.url async for r in shop.start()]

    assert asyncio.run(collect())[0] == "https://shop.example/"
