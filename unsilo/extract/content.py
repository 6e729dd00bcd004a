"""Headings, visible word count and images: what a reader of the page gets.

Word count follows what a browser renders: text inside ``script``, ``style``,
``noscript`` and ``template`` is not visible, and separate text nodes are words apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

from unsilo.extract.dom import attr, text_of

MISSING_ALT_KEPT = 10
IMAGE_NAMES = ("aria-label", "aria-labelledby", "title")  # attributes that name an image

H1 = etree.XPath("//h1")
H2 = etree.XPath("//h2")
IMAGES = etree.XPath("//img")
BODY_TEXT = etree.XPath("/html/body//text()", smart_strings=False)
# Hidden text; a union is a node set, so text in both a noscript and a script counts once.
HIDDEN_TEXT = etree.XPath(
    "/html/body//script/text() | /html/body//style/text()"
    " | /html/body//noscript//text() | /html/body//template//text()",
    smart_strings=False,
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
    """Words of visible body text (text nodes are words apart, split on whitespace).

    All body text minus the hidden text: words add up node by node, so subtracting is
    exact, and asking every text node about its parents would cost ten times as much.
    """
    return _words(BODY_TEXT(root)) - _words(HIDDEN_TEXT(root))


def _words(texts: list[str]) -> int:
    return len(" ".join(texts).split())


def missing_alt(img: HtmlElement) -> bool:
    """An image lacks a text alternative as Lighthouse's image-alt audit (axe) judges it.

    ``alt=""`` is the deliberate mark of a decorative image (screen readers skip it,
    Lighthouse passes it), so it is not missing; nor is an image named by ``aria-label``,
    ``aria-labelledby`` or ``title``, one marked ``role="presentation"``/``"none"``, or one
    hidden from assistive technology (``aria-hidden="true"``).
    """
    if img.get("alt") is not None:
        return False
    if (img.get("role") or "").strip().lower() in ("presentation", "none"):
        return False
    if (img.get("aria-hidden") or "").strip().lower() == "true":
        return False
    return not any((img.get(name) or "").strip() for name in IMAGE_NAMES)
