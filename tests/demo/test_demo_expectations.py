"""``expectations()`` is true: every special case it lists is really in the rendered HTML.

Most checks compare sets over *all* pages (not only the listed ones), so a feature that
leaks onto a page it should not be on fails as surely as a missing one.
"""

from __future__ import annotations

import json
import re
from collections import Counter, deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from unsilo.demo import DemoShop
from unsilo.demo.expectations import build_expectations

Page = Any  # conftest.Rendered: the response and its parsed tree
Pages = dict[str, Page]
OG_REQUIRED = ("og:title", "og:type", "og:image", "og:url", "og:description")
SHARE_HOSTS = ("facebook.com/sharer", "x.com/intent", "pinterest.com/pin", "wa.me/")


@pytest.fixture(scope="module")
def shop(shop_pages: tuple[DemoShop, Pages]) -> DemoShop:
    return shop_pages[0]


@pytest.fixture(scope="module")
def pages(shop_pages: tuple[DemoShop, Pages]) -> Pages:
    return shop_pages[1]


@pytest.fixture(scope="module")
def expected(shop: DemoShop) -> dict:
    return build_expectations(shop)


def where(pages: Pages, predicate: Callable[[Page], object]) -> set[str]:
    return {path for path, page in pages.items() if predicate(page)}


def canonical(page: Page) -> str | None:
    links = page.tree.xpath("//head/link[@rel='canonical']/@href")
    return links[0] if links else None


def json_ld(page: Page) -> list[dict]:
    """Every JSON-LD block, unwrapped from the ``<!-- … //-->`` one product hides it in."""
    return [json.loads(unwrapped(s.text)) for s in json_ld_scripts(page)]


def json_ld_scripts(page: Page) -> list[Any]:
    return page.tree.xpath("//script[@type='application/ld+json']")


def unwrapped(text: str) -> str:
    return text.strip().removeprefix("<!--").removesuffix("//-->")


def test_sections_cover_every_kind_of_page(expected: dict) -> None:
    sections = expected["sections"]
    assert all(sections[kind] >= 1 for kind in ("home", "category", "product", "article"))
    assert sections["product"] >= 8  # enough for every feature combination below


def test_noindex_meta_page_is_in_nav_and_sitemap(
    shop: DemoShop, pages: Pages, expected: dict, base: str
) -> None:
    noindex = where(
        pages,
        lambda p: any("noindex" in c for c in p.tree.xpath("//meta[@name='robots']/@content")),
    )
    assert noindex == set(expected["noindex_meta"])
    (path,) = noindex
    assert path in pages["/"].internal_paths()
    sitemap = shop.render("/sitemap-1.xml", base).body.decode()
    assert f"<loc>{base.rstrip('/')}{path}</loc>" in sitemap


def test_noindex_header(pages: Pages, expected: dict) -> None:
    with_header = where(pages, lambda p: "X-Robots-Tag" in p.response.headers)
    assert with_header == set(expected["noindex_header"])
    for path in with_header:
        assert pages[path].response.headers["X-Robots-Tag"] == "noindex"


def test_redirect_chains_end_where_expected(shop: DemoShop, expected: dict, base: str) -> None:
    for start, chain in expected["redirect_chains"].items():
        path, hops = start, []
        response = shop.render(path, base)
        while response is not None and response.status in (301, 302):
            hops.append([path, response.status])
            path = urlsplit(response.headers["Location"]).path
            assert response.headers["Location"] == base.rstrip("/") + path
            response = shop.render(path, base)
        assert hops == chain["hops"]
        assert path == chain["final"]
        assert (404 if response is None else response.status) == chain["final_status"]


def test_server_error_and_non_html(shop: DemoShop, pages: Pages, expected: dict, base: str) -> None:
    for path in expected["server_errors"]:
        assert shop.render(path, base).status == 500
    for path, content_type in expected["non_html"].items():
        response = shop.render(path, base)
        assert response.headers["Content-Type"] == content_type
        assert response.body.startswith(b"%PDF")
        assert path in pages["/"].internal_paths()  # linked from the footer


def test_broken_links_point_to_404s(
    shop: DemoShop, pages: Pages, expected: dict, base: str
) -> None:
    assert len(expected["broken_links"]) >= 3
    linking = {}
    for target in expected["broken_links"]:
        assert shop.render(target, base) is None
        linking[target] = where(pages, lambda p, t=target: t in p.internal_paths())
    assert linking == {t: set(srcs) for t, srcs in expected["broken_links"].items()}


def test_error_pages_are_linked_so_a_crawler_finds_them(pages: Pages, expected: dict) -> None:
    linked = set().union(*(p.internal_paths() for p in pages.values()))
    assert set(expected["redirect_chains"]) <= linked
    assert set(expected["server_errors"]) <= linked


def test_javascript_and_tracking_links(pages: Pages, expected: dict) -> None:
    js = where(pages, lambda p: any(h.startswith("javascript:") for h in p.hrefs()))
    assert js == set(expected["javascript_links"])
    for source, target in expected["tracking_links"].items():
        tracked = [h for h in pages[source].hrefs() if "utm_source=" in h]
        assert [urlsplit(h).path for h in tracked] == [target]


def test_lang_canonical_and_hreflang(pages: Pages, expected: dict, base: str) -> None:
    assert where(pages, lambda p: not p.tree.get("lang")) == set(expected["no_lang"])
    elsewhere = {
        path: urlsplit(canonical(page)).path
        for path, page in pages.items()
        if canonical(page) != base.rstrip("/") + path
    }
    assert elsewhere == expected["canonical_elsewhere"]
    invalid = {
        path: [c for c in p.tree.xpath("//link[@hreflang]/@hreflang") if "_" in c]
        for path, p in pages.items()
        if p.tree.xpath("//link[@hreflang]")
    }
    assert invalid == expected["invalid_hreflang"]


def test_windows_1252_page(pages: Pages, expected: dict) -> None:
    (path,) = expected["windows_1252"]
    response = pages[path].response
    assert response.headers["Content-Type"].endswith("charset=windows-1252")
    assert b'<meta charset="windows-1252">' in response.body
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")
    text = response.body.decode("windows-1252")
    assert "“Vi tror på ting" in text and "€" in text
    assert where(pages, lambda p: "windows-1252" in p.response.headers["Content-Type"]) == {path}


def test_reachability_depth_and_orphans(pages: Pages, expected: dict) -> None:
    """Breadth-first over the rendered links: everything but the orphan is reachable."""
    depth = {"/": 0}
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        for target in sorted(pages[path].internal_paths()):
            if target in pages and target not in depth:
                depth[target] = depth[path] + 1
                queue.append(target)
    assert set(pages) - set(depth) == set(expected["orphans"])
    for path, level in expected["deep_pages"].items():
        assert depth[path] == level > 5
    normal = [d for p, d in depth.items() if p not in expected["deep_pages"]]
    assert Counter(normal).most_common(1)[0][0] <= 3


def test_open_graph_variants(pages: Pages, expected: dict, base: str) -> None:
    og = expected["og"]
    for path in og["complete"]:
        meta = pages[path].meta("og:")
        assert all(meta.get(k) for k in OG_REQUIRED), path
        assert meta["og:image"].startswith(base), path
        assert meta["og:url"] == canonical(pages[path]), path
    for path in og["missing_image"]:
        assert "og:image" not in pages[path].meta("og:"), path
    for path in og["relative_image"]:
        assert pages[path].meta("og:")["og:image"].startswith("/"), path
    for path in og["url_mismatch"]:
        assert pages[path].meta("og:")["og:url"] != canonical(pages[path]), path
    listed = set().union(*map(set, og.values()))
    without_og = set(og["none"]) | (set(pages) - listed)
    assert where(pages, lambda p: not p.meta("og:")) == without_og
    assert all(og[mode] for mode in og), "every Open Graph variant must occur"


def test_twitter_cards_and_product_prices(pages: Pages, expected: dict) -> None:
    assert where(pages, lambda p: p.meta("twitter:card")) == set(expected["twitter_cards"])
    priced = where(pages, lambda p: len(p.meta("product:price:")) == 2)
    assert priced == set(expected["product_price_meta"])


def test_share_affordances(pages: Pages, expected: dict) -> None:
    def share_links(p: Page) -> bool:
        return all(any(host in h for h in p.hrefs()) for host in SHARE_HOSTS)

    def addtoany(p: Page) -> bool:
        return bool(p.tree.xpath("//div[contains(@class,'a2a_kit')]"))

    def web_share(p: Page) -> bool:
        return any("navigator.share" in (s.text or "") for s in p.tree.xpath("//script"))

    share = expected["share"]
    assert where(pages, share_links) == set(share["links"])
    assert where(pages, addtoany) == set(share["addtoany"])
    assert where(pages, web_share) == set(share["web_share"])
    assert all(share[mode] for mode in share)


def test_share_links_name_their_platforms(pages: Pages, expected: dict) -> None:
    for path in expected["share"]["links"]:
        classes = pages[path].tree.xpath("//ul[@class='share-links']//a/@class")
        assert [c.removeprefix("share-") for c in classes] == expected["share_link_platforms"]
        mail = [h for h in pages[path].hrefs() if h.startswith("mailto:?")]
        assert len(mail) == 1 and "subject=" in mail[0]


def test_expectations_are_plain_json(expected: dict) -> None:
    """Saved as a fixture or compared with a report, so only JSON types are allowed."""
    assert json.loads(json.dumps(expected)) == expected


def test_comments_and_reviews(pages: Pages, expected: dict) -> None:
    assert where(
        pages, lambda p: p.tree.get_element_by_id("disqus_thread", None) is not None
    ) == set(expected["comments_disqus"])

    def rated(p: Page) -> bool:
        return any("aggregateRating" in d for d in json_ld(p) if d.get("@type") == "Product")

    assert where(pages, rated) == set(expected["aggregate_rating"])
    for path in expected["aggregate_rating"]:
        assert pages[path].tree.xpath("//section[@class='reviews']//li"), path


def test_products_carry_product_and_breadcrumb_json_ld(pages: Pages) -> None:
    for path, page in pages.items():
        if path.startswith("/product/"):
            types = {d["@type"] for d in json_ld(page)}
            assert {"Product", "BreadcrumbList"} <= types, path
            (product,) = [d for d in json_ld(page) if d["@type"] == "Product"]
            assert product["offers"]["@type"] == "Offer"


def test_product_offers(pages: Pages, expected: dict) -> None:
    def offer(p: Page) -> dict:
        (product,) = [d for d in json_ld(p) if d["@type"] == "Product"]
        return product["offers"]

    def valid(p: Page) -> bool:
        o = offer(p)
        return (
            bool(re.fullmatch(r"\d+\.\d\d", o["price"]))
            and o["priceCurrency"] == "DKK"
            and (o["availability"] == "https://schema.org/InStock")
        )

    def og_price_differs(p: Page) -> bool:
        og_price = p.meta("product:price:amount").get("product:price:amount")
        return og_price is not None and og_price != offer(p)["price"]

    def wrapped(p: Page) -> bool:
        return any(unwrapped(s.text) != s.text.strip() for s in json_ld_scripts(p))

    products = {path: p for path, p in pages.items() if path.startswith("/product/")}
    offers = expected["product_offers"]
    assert set(products) - where(products, valid) == set(offers["broken"])
    assert where(products, wrapped) == set(offers["broken"])
    assert all("priceCurrency" not in offer(products[path]) for path in offers["broken"])
    readable = {path: p for path, p in products.items() if path not in offers["broken"]}
    assert where(readable, og_price_differs) == set(offers["stale_og"])
    assert all(offers[mode] for mode in ("valid", "broken", "stale_og"))


def test_titles_descriptions_and_headings(pages: Pages, expected: dict) -> None:
    titles: dict[str, set[str]] = {}
    for path, page in pages.items():
        titles.setdefault(page.title(), set()).add(path)
    duplicates = {t: ps for t, ps in titles.items() if len(ps) > 1}
    assert duplicates == {t: set(ps) for t, ps in expected["duplicate_titles"].items()}
    assert duplicates
    assert where(pages, lambda p: len(p.title()) > 70) == set(expected["long_titles"])
    missing = where(pages, lambda p: not p.tree.xpath("//meta[@name='description']"))
    assert missing == set(expected["missing_description"])
    assert where(pages, lambda p: not p.tree.xpath("//h1")) == set(expected["missing_h1"])
    assert where(pages, lambda p: len(p.tree.xpath("//h1")) > 1) == set(expected["multiple_h1"])


def test_images_without_alt(pages: Pages, expected: dict) -> None:
    counts = {path: len(p.tree.xpath("//img[not(@alt)]")) for path, p in pages.items()}
    assert {p: n for p, n in counts.items() if n} == expected["images_missing_alt"]


def test_social_profiles_on_every_page(pages: Pages, expected: dict) -> None:
    profiles = set(expected["social_profiles"].values())
    for path, page in pages.items():
        assert profiles <= set(page.hrefs()), path
        assert page.tree.xpath("//a[@rel='me']/@href") == [expected["rel_me"]], path
    home = pages["/"]
    (org,) = [d for d in json_ld(home) if d["@type"] == "Organization"]
    assert org["sameAs"] == expected["same_as"]["/"]
    assert home.tree.xpath("//head/link[@rel='me']/@href") == [expected["rel_me"]]


def test_hostile_name_is_escaped_on_every_page_that_shows_it(pages: Pages, expected: dict) -> None:
    ((path, name),) = expected["hostile_title"].items()
    shown = where(pages, lambda p: name in p.tree.xpath("//img/@alt"))
    assert len(shown) > 1  # its own page plus the listings that show its card
    for shown_on in shown:
        assert name in pages[shown_on].tree.xpath("//span[@class='name']/text()|//h1/text()")
    for page in pages.values():
        assert b"<script>alert" not in page.response.body, page.path
    titles_with_name = where(pages, lambda p: p.title().startswith(name))
    assert titles_with_name == {path}


def test_designer_profile_is_linked_from_one_product_page_only(
    pages: Pages, expected: dict
) -> None:
    """Someone else's profile on one page: the case the shop_profiles rule must leave out."""
    ((url, linked_from),) = expected["designer_profile"].items()
    assert url not in expected["social_profiles"].values()
    assert len(linked_from) == 1 and linked_from[0].startswith("/product/")
    assert where(pages, lambda p: url in p.hrefs()) == set(linked_from)
