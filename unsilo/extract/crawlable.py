"""Anchors a crawler cannot follow, kept as facts (never as links).

Lighthouse's crawlable-anchors audit fails an ``<a>`` without ``href`` (a placeholder with
``aria-current="page"`` or ``"location"`` and no href-only attribute excepted), a
``javascript:void(0)`` href, a ``file:`` href and an href that is no URL. It passes anchors
with a ``role`` (script-driven widgets that say what they are), ``mailto:`` links, anchors
with an ``id`` and no href (jump targets) and named anchors. unsilo also keeps other
``javascript:`` and ``ftp:`` hrefs, which Google does not crawl, with ``fails_audit``
false so the check still reads as Lighthouse's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from unsilo.extract.dom import text_of, url_form
from unsilo.items import UncrawlableAnchor

KEPT = 20  # anchors stored per page; the count covers them all
ALL_ANCHORS = etree.XPath("//a")
HREF_ONLY_ATTRIBUTES = ("target", "download", "ping", "rel", "hreflang", "type", "referrerpolicy")
JAVASCRIPT_VOID = re.compile(r"javascript:void(\(|)0(\)|)")
_WHITESPACE = re.compile(r"\s")
_RELATIVE_START = ("/", "#", "?", ".", "mailto:")


def judge_anchor(element: HtmlElement) -> UncrawlableAnchor | None:
    """The anchor as an uncrawlable fact, or None when crawlable or exempt.

    The rules run in Lighthouse's order (a ``role`` exempts even a broken href); a valid
    http(s) or relative href, nearly every anchor of a shop, is passed at once.
    """
    href = element.get("href")
    raw = _WHITESPACE.sub("", href) if href is not None else ""
    lowered = raw[:11].lower()
    if href is not None and lowered.startswith(_RELATIVE_START):
        return None
    if lowered.startswith(("http:", "https:")) and not _invalid(raw):
        return None  # Lighthouse drops whitespace first: only a URL still broken fails
    if (element.get("role") or "").strip():
        return None
    if raw == "" and element.get("id"):
        return None
    if lowered.startswith("file:"):
        return _fact(element, href, "file", fails=True)
    if (element.get("name") or "").strip():
        return None
    if href is None:
        if _placeholder(element):
            return None
        return _fact(element, None, "no-href", fails=True)
    if lowered.startswith("javascript:"):
        return _fact(element, href, "javascript", fails=bool(JAVASCRIPT_VOID.search(raw)))
    if lowered.startswith("ftp:"):
        return _fact(element, href, "ftp", fails=False)
    if raw and _invalid(raw):
        return _fact(element, href, "invalid", fails=True)
    return None


@lru_cache(maxsize=16_384)
def _invalid(url: str) -> bool:
    """``url_form`` of an http(s) href, remembered: shop navigation repeats on every page."""
    return url_form(url) == "invalid"


def _placeholder(element: HtmlElement) -> bool:
    """HTML's placeholder link: no href-only attribute, and marks the current page/place."""
    if any(element.get(name) is not None for name in HREF_ONLY_ATTRIBUTES):
        return False
    return (element.get("aria-current") or "") in ("page", "location")


def _fact(element: HtmlElement, href: str | None, reason: str, *, fails: bool) -> UncrawlableAnchor:
    text = text_of(element)[:100]
    return UncrawlableAnchor(href=href, text=text, reason=reason, fails_audit=fails)


def uncrawlable_anchors(root: HtmlElement) -> tuple[list[UncrawlableAnchor], int]:
    """The first ``KEPT`` uncrawlable anchors in document order, and how many fail the audit."""
    found = [fact for element in ALL_ANCHORS(root) if (fact := judge_anchor(element))]
    return found[:KEPT], sum(fact.fails_audit for fact in found)
