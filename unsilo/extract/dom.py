"""Clean-up rules shared by every extractor, declared once.

Crawled markup is hostile and sloppy: attribute values come in any case, with stray
whitespace, and ``<base href>`` may move every relative URL. Each extractor reads the
one lxml tree through these helpers so the rules cannot drift apart.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement
from w3lib.html import strip_html5_whitespace

from unsilo.urls import is_http_url

HEAD_LINKS = etree.XPath("/html/head/link[@rel]")
BODY_LINKS = etree.XPath("/html/body//link[@rel]")
ALL_METAS = etree.XPath("//meta")
BASE_HREF = etree.XPath("/html/head/base[@href]/@href", smart_strings=False)


def collapse(text: str | None) -> str:
    """Collapse runs of whitespace to one space, as a browser renders text."""
    return " ".join(text.split()) if text else ""


def attr(element: HtmlElement, name: str) -> str:
    """An attribute value stripped of HTML5 whitespace; ``""`` when absent."""
    return strip_html5_whitespace(element.get(name) or "")


def attr_lower(element: HtmlElement, name: str) -> str:
    """An attribute value for comparison: HTML keywords are case-insensitive."""
    return attr(element, name).lower()


def tokens(element: HtmlElement, name: str = "rel") -> list[str]:
    """A space-separated token list (``rel``, ``class``), lower-cased, in order."""
    return (element.get(name) or "").lower().split()


def text_of(element: HtmlElement) -> str:
    """Text of an element and its descendants, whitespace collapsed."""
    return collapse("".join(element.itertext()))


def base_url(root: HtmlElement, page_url: str) -> str:
    """The URL relative links resolve against: the first ``<base href>`` or the page.

    A ``<base href>`` that does not resolve to an http(s) URL is ignored, so a hostile
    ``javascript:`` base cannot turn every link into script.
    """
    hrefs = BASE_HREF(root)
    if hrefs:
        candidate = urljoin(page_url, strip_html5_whitespace(hrefs[0]))
        if is_http_url(candidate):
            return candidate
    return page_url


def resolve(href: str, base: str) -> str:
    """Absolute form of ``href``; the raw value when it cannot be joined.

    Absolute http(s) hrefs and plain root-relative paths (most links of a shop) skip
    ``urljoin``, which costs more than the rest of a link's extraction.
    """
    href = strip_html5_whitespace(href)
    if href.startswith(("http://", "https://")) and "\\" not in href:
        return href
    if (
        href.startswith("/")
        and not href.startswith("//")
        and "/." not in href
        and "\\" not in href
        and not _UNSAFE.search(href)
    ):
        return _origin(base) + href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


_UNSAFE = re.compile(r"[\x00-\x20]")


@lru_cache(maxsize=1024)
def _origin(base: str) -> str:
    """``https://shop.example:8080/a/b`` → ``https://shop.example:8080``."""
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"
