"""Links: every ``<a href>`` of a page as a ``LinkItem``, in document order.

Only http(s) targets are links; ``javascript:``, ``mailto:``, ``tel:`` and ``data:``
hrefs are not (the share module still reads ``mailto:`` as an e-mail share), and a
fragment-only href (``#top``) points back at the page itself. Duplicates are kept:
the same target linked from header and footer is two links. Each link carries its context
language and Lighthouse's link-text verdict (``unsilo.extract.link_text``); anchors that
cannot be crawled at all are facts of the page (``unsilo.extract.crawlable``), not links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from unsilo.extract.dom import attr, collapse, resolve, text_of, tokens
from unsilo.extract.link_position import CONTENT
from unsilo.extract.link_text import generic_text
from unsilo.items import LinkItem
from unsilo.urls import is_http_url, same_site, url_key

ANCHORS = etree.XPath("//a[@href]")
URL_CACHE_SIZE = 16_384


@lru_cache(maxsize=URL_CACHE_SIZE)
def cached_url_key(url: str) -> str:
    """``url_key``, remembered: navigation and footer links repeat on every page of a shop,
    and normalizing a URL costs more than everything else a link needs."""
    return url_key(url)


@lru_cache(maxsize=URL_CACHE_SIZE)
def cached_is_http_url(url: str) -> bool:
    return is_http_url(url)


@lru_cache(maxsize=URL_CACHE_SIZE)
def cached_same_site(url: str, site: str) -> bool:
    return same_site(url, site)


IMG_ALTS = etree.XPath(".//img/@alt", smart_strings=False)


@dataclass(slots=True)
class Anchor:
    """An ``<a href>`` with its href resolved (any scheme) and its parsed element."""

    element: HtmlElement
    href: str


def anchors(root: HtmlElement, base: str) -> list[Anchor]:
    """Every ``<a href>`` whose href is not empty or fragment-only, resolved."""
    found = []
    for element in ANCHORS(root):
        href = attr(element, "href")
        if href and not href.startswith("#"):
            found.append(Anchor(element=element, href=resolve(href, base)))
    return found


def anchor_text(element: HtmlElement, text: str | None = None) -> str:
    """The link's text, or the alt text of its images when it has none."""
    text = text_of(element) if text is None else text
    return text or collapse(" ".join(IMG_ALTS(element)))


def link_items(
    found: list[Anchor],
    source_key: str,
    site: str,
    *,
    page_url: str = "",
    lang_of: Callable[[HtmlElement], str | None] | None = None,
    positions: dict[HtmlElement, str] | None = None,
) -> list[LinkItem]:
    """``LinkItem`` per http(s) anchor; ``nofollow`` only from ``rel=nofollow``.

    ``ugc`` and ``sponsored`` are hints of their own, kept in ``rel``, not folded into
    nofollow. Link text is judged on the visible text only (an image's alt is not text a
    reader sees), except on ``nofollow`` links and links back to ``page_url``, as in
    Lighthouse's link-text audit. ``positions`` (``link_positions``) places each link in
    the page's navigation, header, footer, sidebar or content.
    """
    items = []
    positions = positions or {}
    page = page_url.split("#", 1)[0]
    for anchor in found:
        if not cached_is_http_url(anchor.href):
            continue
        rel = tokens(anchor.element)
        text = text_of(anchor.element)
        lang = lang_of(anchor.element) if lang_of else None
        judged = "nofollow" not in rel and anchor.href.split("#", 1)[0] != page
        items.append(
            LinkItem(
                source_url_key=source_key,
                target_url=anchor.href,
                target_url_key=cached_url_key(anchor.href),
                anchor=anchor_text(anchor.element, text),
                rel=rel,
                nofollow="nofollow" in rel,
                internal=cached_same_site(anchor.href, site),
                lang=lang,
                generic_text=judged and generic_text(text, lang),
                position=positions.get(anchor.element, CONTENT),
            )
        )
    return items
