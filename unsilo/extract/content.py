"""Headings, visible word count and images: what a reader of the page gets.

Word count follows what a browser renders: text inside ``script``, ``style``,
``noscript`` and ``template`` is not visible, and separate text nodes are words apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

from unsilo.extract.dom import attr, collapse, text_of

MISSING_ALT_KEPT = 10

H1 = etree.XPath("//h1")
H2 = etree.XPath("//h2")
IMAGES = etree.XPath("//img")
VISIBLE_TEXT = etree.XPath(
    "/html/body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)]"
)


@dataclass(slots=True)
class ContentFacts:
    h1: list[str] = field(default_factory=list)
    h2: list[str] = field(default_factory=list)
    word_count: int = 0
    images: int = 0
    images_missing_alt: int = 0
    images_missing_alt_src: list[str] = field(default_factory=list)


def extract_content(root: HtmlElement) -> ContentFacts:
    images = IMAGES(root)
    missing = [img for img in images if missing_alt(img)]
    return ContentFacts(
        h1=[text_of(h) for h in H1(root)],
        h2=[text_of(h) for h in H2(root)],
        word_count=word_count(root),
        images=len(images),
        images_missing_alt=len(missing),
        images_missing_alt_src=[attr(img, "src") for img in missing[:MISSING_ALT_KEPT]],
    )


def word_count(root: HtmlElement) -> int:
    """Words of visible body text (text nodes joined by a space, split on whitespace)."""
    return len(collapse(" ".join(VISIBLE_TEXT(root))).split())


def missing_alt(img: HtmlElement) -> bool:
    """An image lacks alt only when the attribute is absent.

    ``alt=""`` is the deliberate mark of a decorative image (screen readers skip it,
    Lighthouse passes it), so it is not missing.
    """
    return img.get("alt") is None
