"""hreflang alternates from the head and the ``Link`` header, each checked for validity.

A value is valid as Google and Lighthouse read it: ``x-default``, or an ISO 639-1
language, optionally followed by an ISO 3166-1 alpha-2 region and/or a four-letter script
(``zh-Hant-TW``). ``en-UK`` and ``english`` are invalid; case does not matter, but the
value is read as written: ``" x-default"`` (a leading space) is not a code.

Lighthouse's hreflang audit also wants an ``href`` and a fully qualified one: an alternate
without href is recorded (``href_issue="missing"``, empty URL, no join key), and a
relative href is flagged ``"relative"`` (Google wants fully qualified alternates); it is
still resolved for the return-link check, so one mistake is not reported twice.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from unsilo.extract.dom import HEAD_LINKS, resolve, tokens, url_form
from unsilo.extract.langcodes import LANGUAGES, REGIONS
from unsilo.extract.link_header import HeaderLink
from unsilo.items import Hreflang
from unsilo.urls import http_url_key


def valid_hreflang(code: str) -> bool:
    """True for ``x-default``, ``de``, ``de-AT``, ``zh-Hant``, ``zh-Hant-TW``.

    >>> [valid_hreflang(c) for c in ("en-GB", "en-UK", "english", "X-Default", " x-default")]
    [True, False, False, True, False]
    """
    parts = code.lower().split("-")
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


def alternate(lang: str, href: str, base: str, source: str) -> Hreflang:
    """One entry, its href judged as Lighthouse does (present, absolute)."""
    if not href.strip():
        return Hreflang(lang, "", source, valid_hreflang(lang), None, "missing")
    url = resolve(href, base)
    issue = None if url_form(href) == "absolute" else "relative"
    return Hreflang(lang, url, source, valid_hreflang(lang), http_url_key(url), issue)


def extract_hreflang(
    root: HtmlElement | None, base: str, page_url: str, header_links: list[HeaderLink]
) -> list[Hreflang]:
    """Head alternates first, then header ones, each in document order."""
    found: list[Hreflang] = []
    if root is not None:
        for link in HEAD_LINKS(root):
            lang = link.get("hreflang")
            if "alternate" in tokens(link) and lang:
                found.append(alternate(lang, link.get("href") or "", base, "head"))
    for link in header_links:
        lang = link.params.get("hreflang", "")
        if "alternate" in link.rel and lang:
            found.append(alternate(lang, link.url, page_url, "header"))
    return found
