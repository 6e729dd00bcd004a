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


_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|]")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def url_form(raw: str) -> str:
    """How a browser's URL parser takes an href on its own: absolute, relative or invalid.

    Lighthouse judges canonical and hreflang hrefs this way (``new URL(href)``): an http(s)
    URL needs a host without spaces or other forbidden characters and a numeric port.

    >>> [url_form(u) for u in ("https://a.example/x", "https:// a.example", "/x", "mailto:a@b")]
    ['absolute', 'invalid', 'relative', 'absolute']
    """
    value = _TAB_OR_NEWLINE.sub("", raw.strip(_C0_AND_SPACE))
    scheme = _SCHEME.match(value)
    if scheme is None:
        return "relative"
    if scheme.group(1).lower() not in ("http", "https"):
        return "absolute"
    rest = value[scheme.end() :].replace("\\", "/").lstrip("/")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    if authority.startswith("["):
        host, port = authority.partition("]")[0] + "]", authority.partition("]")[2][1:]
    else:
        host, _, port = authority.partition(":")
    if not host or (not host.startswith("[") and _FORBIDDEN_HOST.search(host)):
        return "invalid"
    return "absolute" if port.isdigit() or not port else "invalid"
