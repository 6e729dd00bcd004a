"""Title, meta description, ``lang`` and meta refresh: the head facts a SERP shows.

Titles count only in the head, as search engines read them: an SVG ``<title>`` in the
body is a tooltip, not a page title. Two titles or two descriptions are a finding, so
both are counted and the first wins, as Google and Lighthouse take it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from unsilo.extract.dom import ALL_METAS, attr_lower, collapse

HEAD_TITLES = etree.XPath("/html/head/title")


@dataclass(slots=True)
class HeadFacts:
    title: str | None
    title_count: int
    meta_description: str | None
    meta_description_count: int
    lang: str | None
    meta_refresh: str | None


def extract_head(root: HtmlElement) -> HeadFacts:
    """Read the head facts from the one parsed tree."""
    titles = [collapse("".join(t.itertext())) for t in HEAD_TITLES(root)]
    descriptions: list[str] = []
    refresh = None
    for meta in ALL_METAS(root):
        if attr_lower(meta, "name") == "description" and meta.get("content") is not None:
            descriptions.append(collapse(meta.get("content")))
        elif refresh is None and attr_lower(meta, "http-equiv") == "refresh":
            refresh = collapse(meta.get("content")) or None
    return HeadFacts(
        title=titles[0] if titles else None,
        title_count=len(titles),
        meta_description=descriptions[0] if descriptions else None,
        meta_description_count=len(descriptions),
        lang=page_lang(root),
        meta_refresh=refresh,
    )


def page_lang(root: HtmlElement) -> str | None:
    """The ``lang`` of the real root element.

    IE conditional comments wrap alternative ``<html lang=…>`` tags; they are comments
    to the parser, so the root element's own attribute is the one browsers use.
    """
    lang = collapse(root.get("lang"))
    return lang or None
