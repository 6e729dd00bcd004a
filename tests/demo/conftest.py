"""Fixtures for the demo shop tests: shops of a few sizes, their rendered and parsed pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
import pytest

from unsilo.demo import DemoResponse, DemoServer, DemoShop

BASE = "http://shop.test:8080/"


@dataclass
class Rendered:
    """One page as a reader sees it: the response and its parsed tree."""

    path: str
    response: DemoResponse
    tree: lxml.html.HtmlElement

    def meta(self, prefix: str) -> dict[str, str]:
        """``og:*``/``twitter:*``/``product:*`` properties of the head, first value wins."""
        out: dict[str, str] = {}
        for el in self.tree.xpath("//head/meta[@property or @name]"):
            name = el.get("property") or el.get("name")
            if name.startswith(prefix):
                out.setdefault(name, el.get("content"))
        return out

    def hrefs(self) -> list[str]:
        return [a.get("href") for a in self.tree.xpath("//a[@href]")]

    def internal_paths(self) -> set[str]:
        """Paths of links to the shop's own host, query and fragment removed."""
        host = urlsplit(BASE).netloc
        out = set()
        for href in self.hrefs():
            parts = urlsplit(href)
            if parts.scheme in ("http", "https") and parts.netloc == host:
                out.add(parts.path)
        return out

    def title(self) -> str:
        return self.tree.findtext(".//title")


def parse(response: DemoResponse) -> lxml.html.HtmlElement:
    """Parse with the charset the server declared, as a browser (or crawler) would."""
    charset = response.headers["Content-Type"].split("charset=")[-1]
    return lxml.html.document_fromstring(response.body.decode(charset))


def render_all(shop: DemoShop) -> dict[str, Rendered]:
    out = {}
    for path in shop.paths():
        response = shop.render(path, BASE)
        assert response is not None, path
        out[path] = Rendered(path, response, parse(response))
    return out


@pytest.fixture(scope="session")
def base() -> str:
    """The base URL pages are rendered for in generator tests (no server needed)."""
    return BASE


@pytest.fixture(scope="session")
def load() -> Callable[[DemoShop, str], Rendered | None]:
    """Render and parse one path of a shop for ``BASE``; ``None`` when the shop has no such page."""

    def load_page(shop: DemoShop, path: str) -> Rendered | None:
        response = shop.render(path, BASE)
        return None if response is None else Rendered(path, response, parse(response))

    return load_page


@pytest.fixture(scope="session")
def small_shop() -> DemoShop:
    return DemoShop(pages=30, seed=7)


@pytest.fixture(scope="session")
def mid_shop() -> DemoShop:
    return DemoShop(pages=1000, seed=7)


@pytest.fixture(scope="session", params=[30, 250], ids=["30-pages", "250-pages"])
def shop_pages(request: pytest.FixtureRequest) -> tuple[DemoShop, dict[str, Rendered]]:
    """A shop and every one of its pages rendered and parsed (small sizes: all cases present)."""
    shop = DemoShop(pages=request.param, seed=request.param)
    return shop, render_all(shop)


@pytest.fixture(scope="module")
def server(small_shop: DemoShop) -> Iterator[DemoServer]:
    with DemoServer(small_shop) as running:
        yield running
