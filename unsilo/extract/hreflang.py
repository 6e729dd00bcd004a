"""hreflang alternates from the head and the ``Link`` header, each checked for validity.

A value is valid as Google reads it: ``x-default``, or an ISO 639-1 language, optionally
followed by an ISO 3166-1 alpha-2 region and/or a four-letter script (``zh-Hant-TW``).
``en-UK`` and ``english`` are invalid; case does not matter.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from unsilo.extract.dom import HEAD_LINKS, attr, resolve, tokens
from unsilo.extract.langcodes import LANGUAGES, REGIONS
from unsilo.extract.link_header import HeaderLink
from unsilo.items import Hreflang
from unsilo.urls import http_url_key


def valid_hreflang(code: str) -> bool:
    """True for ``x-default``, ``de``, ``de-AT``, ``zh-Hant``, ``zh-Hant-TW``.

    >>> [valid_hreflang(c) for c in ("en-GB", "en-UK", "english", "X-Default")]
    [True, False, False, True]
    """
    parts = code.strip().lower().split("-")
    if parts == ["x", "default"]:
        return True
    if parts[0] not in LANGUAGES or len(parts) > 3:
        return False
    rest = parts[1:]
    if rest and len(rest[0]) == 4 and rest[0].isalpha():
        rest = rest[1:]
    if not rest:
        return True
    return len(rest) == 1 and rest[0] in REGIONS


def extract_hreflang(
    root: HtmlElement | None, base: str, page_url: str, header_links: list[HeaderLink]
) -> list[Hreflang]:
    """Head alternates first, then header ones, each in document order."""
    found: list[Hreflang] = []
    if root is not None:
        for link in HEAD_LINKS(root):
            lang = attr(link, "hreflang")
            if "alternate" in tokens(link) and lang and attr(link, "href"):
                url = resolve(link.get("href", ""), base)
                valid = valid_hreflang(lang)
                found.append(Hreflang(lang, url, "head", valid, http_url_key(url)))
    for link in header_links:
        lang = link.params.get("hreflang", "")
        if "alternate" in link.rel and lang and link.url:
            url = resolve(link.url, page_url)
            valid = valid_hreflang(lang)
            found.append(Hreflang(lang, url, "header", valid, http_url_key(url)))
    return found
