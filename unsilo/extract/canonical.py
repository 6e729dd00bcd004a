"""The canonical URL, from ``<link rel=canonical>`` in the head and the ``Link`` header.

Google reads canonical links only in the head; one in the body is ignored (and counted,
because a template that puts it there thinks it works). When the head and the header
name different URLs Google may ignore both, so a conflict yields no canonical at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.html import HtmlElement

from unsilo.extract.dom import BODY_LINKS, HEAD_LINKS, attr, resolve, tokens
from unsilo.extract.link_header import HeaderLink
from unsilo.urls import is_http_url, url_key


@dataclass(slots=True)
class CanonicalFacts:
    canonical: str | None = None
    canonical_key: str | None = None
    canonicals: list[str] = field(default_factory=list)
    conflict: bool = False
    body_ignored: int = 0


def extract_canonical(
    root: HtmlElement | None, base: str, page_url: str, header_links: list[HeaderLink]
) -> CanonicalFacts:
    """Collect head and header canonicals; agree on one or report the conflict.

    Candidates that differ only in ways ``url_key`` normalizes away (a trailing slash,
    host case) agree: they name the same page.
    """
    found: list[str] = []
    body_ignored = 0
    if root is not None:
        for link in HEAD_LINKS(root):
            if "canonical" in tokens(link) and attr(link, "href"):
                found.append(resolve(link.get("href", ""), base))
        body_ignored = sum(1 for link in BODY_LINKS(root) if "canonical" in tokens(link))
    for link in header_links:
        if "canonical" in link.rel and link.url:
            found.append(resolve(link.url, page_url))
    canonicals = list(dict.fromkeys(u for u in found if is_http_url(u)))
    keys = {url_key(u) for u in canonicals}
    conflict = len(keys) > 1
    canonical = canonicals[0] if canonicals and not conflict else None
    return CanonicalFacts(
        canonical=canonical,
        canonical_key=url_key(canonical) if canonical else None,
        canonicals=canonicals,
        conflict=conflict,
        body_ignored=body_ignored,
    )
