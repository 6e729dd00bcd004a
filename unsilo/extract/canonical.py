"""The canonical URL, from ``<link rel=canonical>`` in the head and the ``Link`` header.

Google reads canonical links only in the head; one in the body is ignored (and counted,
because a template that puts it there thinks it works). When the head and the header
name different URLs Google may ignore both, so a conflict yields no canonical at all.

Lighthouse's canonical audit adds what is recorded beside it: an href that is no URL at
all (``https:// example.com``) is invalid and left out; a relative one is resolved, as
Google does, but recorded as relative; and a single canonical is a mistake when it sends
a deep page to the site's home page or points at another of the page's hreflang
alternates (a translation is not a duplicate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from unsilo.extract.dom import BODY_LINKS, HEAD_LINKS, attr, resolve, tokens, url_form
from unsilo.extract.link_header import HeaderLink
from unsilo.urls import http_url_key, is_http_url, url_key


@dataclass(slots=True)
class CanonicalFacts:
    canonical: str | None = None
    canonical_key: str | None = None
    canonicals: list[str] = field(default_factory=list)
    conflict: bool = False
    body_ignored: int = 0
    invalid: list[str] = field(default_factory=list)
    relative: list[str] = field(default_factory=list)
    to_root: bool = False
    to_alternate: bool = False


def _candidates(
    root: HtmlElement | None, base: str, page_url: str, header_links: list[HeaderLink]
) -> list[tuple[str, str]]:
    """``(raw href, URL it resolves against)`` of every head and header canonical."""
    found: list[tuple[str, str]] = []
    if root is not None:
        for link in HEAD_LINKS(root):
            if "canonical" in tokens(link) and attr(link, "href"):
                found.append((attr(link, "href"), base))
    for link in header_links:
        if "canonical" in link.rel and link.url:
            found.append((link.url, page_url))
    return found


def extract_canonical(
    root: HtmlElement | None,
    base: str,
    page_url: str,
    header_links: list[HeaderLink],
    alternates: Sequence[str] = (),
) -> CanonicalFacts:
    """Collect head and header canonicals; agree on one or report the conflict.

    Candidates that differ only in ways ``url_key`` normalizes away (a trailing slash,
    host case) agree: they name the same page. ``alternates`` are the page's hreflang URLs.
    """
    facts = CanonicalFacts()
    found: list[str] = []
    for raw, against in _candidates(root, base, page_url, header_links):
        form = url_form(raw)
        if form == "invalid":
            facts.invalid.append(raw)
            continue
        if form == "relative":
            facts.relative.append(raw)
        found.append(resolve(raw, against))
    if root is not None:
        facts.body_ignored = sum(1 for link in BODY_LINKS(root) if "canonical" in tokens(link))
    facts.canonicals = list(dict.fromkeys(u for u in found if is_http_url(u)))
    facts.conflict = len({url_key(u) for u in facts.canonicals}) > 1
    if facts.canonicals and not facts.conflict:
        facts.canonical = facts.canonicals[0]
        facts.canonical_key = url_key(facts.canonical)
        facts.to_root = points_to_root(facts.canonical, page_url)
        facts.to_alternate = points_to_alternate(facts.canonical, page_url, alternates)
    return facts


def points_to_root(canonical: str, page_url: str) -> bool:
    """A deep page whose canonical is its own origin's home page.

    >>> points_to_root("https://a.example/", "https://a.example/shoes/red")
    True
    >>> points_to_root("https://a.example/", "https://a.example/?page=2")
    False
    """
    target, page = urlsplit(canonical), urlsplit(page_url)
    same_origin = (target.scheme, target.netloc.lower()) == (page.scheme, page.netloc.lower())
    return same_origin and (target.path or "/") == "/" and (page.path or "/") != "/"


def points_to_alternate(canonical: str, page_url: str, alternates: Sequence[str]) -> bool:
    """The page and its canonical are both hreflang alternates, and not the same one."""
    keys = {http_url_key(u) for u in alternates}
    own, target = http_url_key(page_url), http_url_key(canonical)
    return own in keys and target in keys and own != target
