"""The generator: determinism, sizes, routing, robots.txt and sitemaps."""

from __future__ import annotations

import json
import urllib.robotparser
from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree

from unsilo.demo import DemoShop
from unsilo.demo import shop as shop_module
from unsilo.demo.expectations import build_expectations
from unsilo.demo.plan import HOSTILE_NAME

Loader = Callable[[DemoShop, str], Any]
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sample(paths: list[str], k: int = 40) -> list[str]:
    step = max(1, len(paths) // k)
    return paths[::step]


def test_same_seed_renders_the_same_bytes(mid_shop: DemoShop, base: str) -> None:
    twin = DemoShop(pages=mid_shop.pages, seed=mid_shop.seed)
    paths = list(mid_shop.paths())
    assert list(twin.paths()) == paths
    for path in sample(paths):
        assert twin.render(path, base).body == mid_shop.render(path, base).body


def test_render_order_does_not_matter(small_shop: DemoShop, base: str) -> None:
    paths = list(small_shop.paths())
    forward = {p: small_shop.render(p, base).body for p in paths}
    fresh = DemoShop(pages=small_shop.pages, seed=small_shop.seed)
    assert {p: fresh.render(p, base).body for p in reversed(paths)} == forward


def test_different_seed_is_a_different_shop(mid_shop: DemoShop, base: str) -> None:
    other = DemoShop(pages=mid_shop.pages, seed=mid_shop.seed + 1)
    assert set(other.paths()) != set(mid_shop.paths())
    assert other.render("/", base).body != mid_shop.render("/", base).body


@pytest.mark.parametrize("pages", [30, 31, 57, 1000, 4321])
def test_paths_count_is_exactly_pages(pages: int) -> None:
    shop = DemoShop(pages=pages, seed=3)
    paths = list(shop.paths())
    assert len(paths) == len(set(paths)) == pages
    assert paths[0] == "/"
    assert sum(build_expectations(shop)["sections"].values()) == pages


def test_100k_plan_is_mostly_products() -> None:
    shop = DemoShop(pages=100_000, seed=1)
    paths = list(shop.paths())
    assert len(paths) == len(set(paths)) == 100_000
    products = sum(1 for p in paths if p.startswith("/product/"))
    assert products > 90_000
    assert shop.sitemap_count() == 2


@pytest.mark.parametrize("pages", [0, 29, 100_001])
def test_out_of_range_sizes_are_refused(pages: int) -> None:
    with pytest.raises(ValueError, match="between 30 and 100000"):
        DemoShop(pages=pages)


@pytest.mark.parametrize("shop_name", ["small_shop", "mid_shop"])
def test_every_path_renders_as_html(
    shop_name: str, request: pytest.FixtureRequest, load: Loader
) -> None:
    shop: DemoShop = request.getfixturevalue(shop_name)
    for path in shop.paths():
        page = load(shop, path)
        assert page is not None and page.response.status == 200, path
        assert page.response.headers["Content-Type"].startswith("text/html"), path
        assert page.title(), path


def test_product_pages_have_realistic_weight(mid_shop: DemoShop, base: str) -> None:
    products = [p for p in mid_shop.paths() if p.startswith("/product/")]
    sizes = [len(mid_shop.render(p, base).body) for p in sample(products)]
    assert min(sizes) >= 40_000 and max(sizes) <= 80_000


def test_unknown_paths_are_404(small_shop: DemoShop, base: str) -> None:
    product = next(p for p in small_shop.paths() if p.startswith("/product/"))
    slug, index = product.rsplit("-", 1)
    unknown = [
        "/nope",
        "/product/",
        f"{slug}-999999",  # index past the catalogue
        f"/product/wrong-slug-{index}",  # right index, wrong name
        f"{slug}-0{index}",  # leading zero: not the canonical spelling
        "/category/lamper/page/1",  # page 1 lives at the bare category URL
        "/category/lamper/page/99",
        "/category/outlet/page/7",
        "/category/unknown",
        "/category/lamper-serie-x",
        "/sitemap-9.xml",
        "/images/../robots.txt",
    ]
    for path in unknown:
        assert small_shop.render(path, base) is None, path


def test_query_string_does_not_change_the_page(small_shop: DemoShop, base: str) -> None:
    plain = small_shop.render("/", base)
    tracked = small_shop.render("/?utm_source=newsletter&fbclid=x", base)
    assert tracked.body == plain.body


def test_all_absolute_urls_use_the_base_url(small_shop: DemoShop, base: str) -> None:
    """Host-agnostic: rendering for another base URL changes every internal link."""
    other = "http://127.0.0.1:5555/"
    body = small_shop.render("/", other).body.decode()
    assert base.rstrip("/") not in body
    assert f'<link rel="canonical" href="{other}">' in body


def test_robots_txt_is_polite_and_names_the_sitemap(small_shop: DemoShop, base: str) -> None:
    text = small_shop.render("/robots.txt", base).body.decode()
    assert text == small_shop.robots_txt(base)
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    assert parser.can_fetch("unsilo", base)
    assert parser.can_fetch("unsilo", base + "wishlist")
    assert not parser.can_fetch("unsilo", base + "cart")
    assert parser.site_maps() == [base + "sitemap.xml"]


def _locs(xml: bytes) -> list[str]:
    return etree.fromstring(xml).xpath("//sm:loc/text()", namespaces=SITEMAP_NS)


def test_sitemap_index_lists_children_that_list_every_page(mid_shop: DemoShop, base: str) -> None:
    index = mid_shop.render("/sitemap.xml", base)
    assert index.headers["Content-Type"] == "application/xml"
    assert etree.fromstring(index.body).tag == f"{{{SITEMAP_NS['sm']}}}sitemapindex"
    children = _locs(index.body)
    assert children == [base + "sitemap-1.xml"]
    urls = _locs(mid_shop.render("/sitemap-1.xml", base).body)
    assert urls == [base.rstrip("/") + p for p in mid_shop.paths()]


def test_sitemaps_are_split_at_the_limit(monkeypatch: pytest.MonkeyPatch, base: str) -> None:
    monkeypatch.setattr(shop_module, "SITEMAP_MAX_URLS", 400)
    shop = DemoShop(pages=1000, seed=2)
    children = _locs(shop.render("/sitemap.xml", base).body)
    assert len(children) == 3
    seen: list[str] = []
    for child in children:
        urls = _locs(shop.render(child.removeprefix(base.rstrip("/")), base).body)
        assert 0 < len(urls) <= 400
        seen += urls
    assert seen == [base.rstrip("/") + p for p in shop.paths()]
    assert shop.render("/sitemap-4.xml", base) is None


def test_hostile_product_name_stays_text(small_shop: DemoShop, load: Loader) -> None:
    (path,) = build_expectations(small_shop)["hostile_title"]
    page = load(small_shop, path)
    assert b"<script>alert(1)" not in page.response.body
    tree = page.tree
    assert tree.findtext(".//title").startswith(HOSTILE_NAME)
    assert tree.findtext(".//h1") == HOSTILE_NAME
    (og_title,) = tree.xpath("//meta[@property='og:title']/@content") or [HOSTILE_NAME]
    assert og_title == HOSTILE_NAME
    products = [
        json.loads(s.text)
        for s in tree.xpath("//script[@type='application/ld+json']")
        if '"Product"' in s.text
    ]
    assert products[0]["name"] == HOSTILE_NAME
