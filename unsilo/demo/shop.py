"""The demo shop: a seeded, generated webshop of 30–100,000 pages, rendered on demand.

Pure generation, no I/O: ``DemoShop.render(path, base_url)`` returns what the server
sends. Same ``(pages, seed)`` → same bytes, so tests, the demo and the benchmark all see
the same shop. ``expectations.build_expectations(shop)`` is the ground truth the auditor's
findings are checked against (a function of its own, so the shop does not import it back).
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape

from unsilo.demo import plan as P
from unsilo.demo.catalog import render_listing, render_product
from unsilo.demo.layout import Chrome, build_chrome
from unsilo.demo.site import (
    render_about_da,
    render_article,
    render_blog,
    render_categories,
    render_fixed,
    render_home,
)
from unsilo.demo.words import paragraph_pool

HTML = "text/html; charset=utf-8"
SITEMAP_MAX_URLS = 50_000  # the sitemaps.org limit per file
# A 1×1 GIF stands in for every image: crawlers checking og:image get a real image back.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
_IMAGE = re.compile(r"^/images/[a-z0-9-]+\.(?:jpg|png)$")
_SHARE_SIZED = re.compile(r"^/images/(?:product-|category-|forside)")  # journal images stay 1x1


def _grey_png(width: int, height: int) -> bytes:
    """A valid, uniformly grey PNG of ``width`` x ``height`` pixels (about a kilobyte)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress((b"\x00" + b"\x80" * width) * height, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# Product, category and home images are share-sized (1200x630), so og:image findings show only where
# the shop's journal uses its 1x1 placeholder (og_image_too_small).
SHARE_IMAGE = _grey_png(1200, 630)
_CHILD_SITEMAP = re.compile(r"^/sitemap-([1-9][0-9]*)\.xml$")


@dataclass
class DemoResponse:
    """What the server sends for one path."""

    status: int
    headers: dict[str, str]
    body: bytes


def _html(text: str, status: int = 200, **headers: str) -> DemoResponse:
    return DemoResponse(status, {"Content-Type": HTML, **headers}, text.encode("utf-8"))


def _redirect(status: int, location: str) -> DemoResponse:
    body = f'<!DOCTYPE html><html lang="da"><title>Flyttet</title><a href="{escape(location)}">'
    return DemoResponse(status, {"Content-Type": HTML, "Location": location}, body.encode())


@dataclass(frozen=True)
class DemoShop:
    """A generated webshop; ``pages`` is exactly the number of 200 HTML pages in ``paths()``."""

    pages: int = 1000
    seed: int = 42
    og_fixed: bool = False  # the history demo's switches (``ShopPlan``): off by default
    gone: frozenset[str] = frozenset()
    _plan: P.ShopPlan = field(init=False, repr=False, compare=False)
    _pool: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _chrome: dict[str, Chrome] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plan = P.ShopPlan.build(self.pages, self.seed, og_fixed=self.og_fixed, gone=self.gone)
        object.__setattr__(self, "_plan", plan)
        object.__setattr__(self, "_pool", paragraph_pool(self.seed))
        object.__setattr__(self, "_chrome", {})

    @property
    def plan(self) -> P.ShopPlan:
        return self._plan

    def paths(self) -> Iterator[str]:
        """Every 200 HTML page of the shop, in a fixed order (home first)."""
        return self._plan.paths()

    def chrome(self, base_url: str) -> Chrome:
        """Shared fragments for ``base_url``, built on first use (one dict write: thread-safe)."""
        chrome = self._chrome.get(base_url)
        if chrome is None:
            chrome = self._chrome[base_url] = build_chrome(self._plan, base_url)
        return chrome

    def render(self, path: str, base_url: str) -> DemoResponse | None:
        """The response for ``path`` (query string ignored, as most shops do); ``None`` = 404."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        chrome = self.chrome(base_url)
        route = self._plan.route(path)
        if route is not None:
            return self._render_page(route, path, chrome)
        return self._render_special(path, chrome)

    def _render_page(self, route: P.Route, path: str, chrome: Chrome) -> DemoResponse:
        plan, pool = self._plan, self._pool
        if route.kind == "product":
            return _html(render_product(plan, chrome, pool, route.index))
        if route.kind in ("category", "outlet"):
            return _html(render_listing(plan, chrome, pool, route.index, route.page))
        if route.kind == "article":
            return _html(render_article(plan, chrome, pool, route.index))
        if path == P.HOME:
            return _html(render_home(plan, chrome, pool))
        if path == P.BLOG:
            return _html(render_blog(plan, chrome, pool))
        if path == P.CATEGORIES:
            return _html(render_categories(plan, chrome, pool))
        if path == P.ABOUT_DA:
            body = render_about_da(plan, chrome, pool).encode("windows-1252")
            return DemoResponse(200, {"Content-Type": "text/html; charset=windows-1252"}, body)
        text = render_fixed(plan, chrome, pool, path)
        if path == P.TERMS:
            return _html(text, **{"X-Robots-Tag": "noindex"})
        return _html(text)

    def _render_special(self, path: str, chrome: Chrome) -> DemoResponse | None:
        u = chrome.url
        if path == P.REDIRECT_START:
            return _redirect(301, u(P.REDIRECT_MIDDLE))
        if path == P.REDIRECT_MIDDLE:
            return _redirect(302, u(self._plan.category_path(0)))
        if path == P.REDIRECT_TO_404:
            return _redirect(301, u(P.MISSING_TARGET))
        if path == P.SERVER_ERROR:
            return _html("<!DOCTYPE html><title>Fejl</title><h1>Serverfejl</h1>", status=500)
        if path == P.CATALOGUE_PDF:
            return DemoResponse(200, {"Content-Type": "application/pdf"}, PDF)
        if _IMAGE.match(path) and _SHARE_SIZED.match(path):
            return DemoResponse(200, {"Content-Type": "image/png"}, SHARE_IMAGE)
        if _IMAGE.match(path):
            return DemoResponse(200, {"Content-Type": "image/gif"}, PIXEL)
        if path == "/robots.txt":
            return DemoResponse(
                200, {"Content-Type": "text/plain"}, self.robots_txt(u("/")).encode()
            )
        if path == "/sitemap.xml":
            return DemoResponse(
                200, {"Content-Type": "application/xml"}, self.sitemap_xml(u("/")).encode()
            )
        if (m := _CHILD_SITEMAP.match(path)) and int(m.group(1)) <= self.sitemap_count():
            body = self.sitemap_child_xml(u("/"), int(m.group(1))).encode()
            return DemoResponse(200, {"Content-Type": "application/xml"}, body)
        return None

    # --- robots and sitemaps ----------------------------------------------------------
    def robots_txt(self, base_url: str) -> str:
        base = base_url.rstrip("/")
        return (
            "User-agent: *\nDisallow: /cart\nDisallow: /search\nDisallow: /checkout\n\n"
            f"Sitemap: {base}/sitemap.xml\n"
        )

    def sitemap_count(self) -> int:
        return -(-self.pages // SITEMAP_MAX_URLS)

    def sitemap_xml(self, base_url: str) -> str:
        """The sitemap index: child sitemaps of at most 50,000 URLs each."""
        base = escape(base_url.rstrip("/"))
        entries = "".join(
            f"<sitemap><loc>{base}/sitemap-{n}.xml</loc></sitemap>"
            for n in range(1, self.sitemap_count() + 1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
            "</sitemapindex>\n"
        )

    def sitemap_child_xml(self, base_url: str, n: int) -> str:
        """Child sitemap ``n`` (1-based): every page of ``paths()``, orphan and noindex included."""
        base = escape(base_url.rstrip("/"))
        start = (n - 1) * SITEMAP_MAX_URLS
        urls = []
        for k, path in enumerate(self.paths()):
            if start <= k < start + SITEMAP_MAX_URLS:
                urls.append(
                    f"<url><loc>{base}{escape(path)}</loc><lastmod>2025-06-01</lastmod></url>"
                )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{"".join(urls)}</urlset>\n'
        )
