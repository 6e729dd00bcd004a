"""Link position: whether a link sits in the page's navigation, header, footer, sidebar or
its own content.

Every page of a shop repeats the same menu and footer, so counting all internal links makes
/about and /contact the "best linked" pages of any shop (each has one inlink from every
page). Links a page's own content gives are the ones that say what the shop thinks is worth
reading; they rank the silos worth fixing first (``report_top_silos``).

The position comes from the page's landmarks, as a browser's accessibility tree and
Screaming Frog's "link position" see them: ``<nav>`` and ``role=navigation`` are
``navigation``; ``<header>``/``role=banner`` ``header``; ``<footer>``/``role=contentinfo``
``footer``; ``<aside>``/``role=complementary`` ``sidebar``; every other link ``content``.
As in HTML's sectioning rules, a ``<header>``, ``<footer>`` or ``<aside>`` inside an
``<article>`` or ``<main>`` belongs to that content (a product card's footer is no site
footer), while a ``<nav>`` is navigation wherever it stands (breadcrumbs, pagination). The
innermost landmark wins: a menu ``<nav>`` inside the site ``<header>`` is ``navigation``.

>>> from lxml import html
>>> root = html.fromstring(
...     '<body><header><a href="/">Logo</a><nav><a href="/sko">Sko</a></nav></header>'
...     '<main><article><p><a href="/tilbud">Tilbud</a></p><footer><a href="/a">A</a>'
...     '</footer></article></main><footer><a href="/om">Om</a></footer></body>')
>>> where = link_positions(root)
>>> [where.get(a, CONTENT) for a in root.iter("a")]
['header', 'navigation', 'content', 'content', 'footer']
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

CONTENT = "content"
"""The position of a link outside every navigation landmark."""

POSITIONS: tuple[str, ...] = ("navigation", "header", "footer", "sidebar", CONTENT)
"""Every position a link can have: the one list."""

LANDMARK_TAGS: dict[str, str] = {
    "nav": "navigation",
    "header": "header",
    "footer": "footer",
    "aside": "sidebar",
}
LANDMARK_ROLES: dict[str, str] = {
    "navigation": "navigation",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "sidebar",
}
CONTENT_SCOPES = frozenset({"article", "main"})
"""Sectioning elements that make a header, footer or aside their own content."""

ROLE_VALUES = etree.XPath("//@role")
"""Every role attribute (its element is ``getparent()``): one pass, four times faster than
asking XPath to compare the values, and most pages have few."""


def link_positions(root: HtmlElement) -> dict[HtmlElement, str]:
    """The position of every ``<a>`` inside a navigation landmark, by element; an anchor
    missing from the map is ``content``.

    Landmarks are visited in document order and an inner landmark's anchors are written
    after its outer one's, so the innermost landmark decides. lxml hands out one proxy per
    element while it is referenced, so the caller's anchors are the keys found here.
    """
    landmarks = [
        (element, LANDMARK_TAGS[element.tag])
        for element in root.iter(*LANDMARK_TAGS)
        if element.tag == "nav" or not _in_content_scope(element)
    ]
    by_role = [
        (role.getparent(), LANDMARK_ROLES[role])
        for role in ROLE_VALUES(root)
        if role in LANDMARK_ROLES
        and (role == "navigation" or not _in_content_scope(role.getparent()))
    ]
    if by_role:  # rare: put both lists in one document order (a tag's own role wins)
        position_of = dict(landmarks) | dict(by_role)
        landmarks = [(e, position_of[e]) for e in root.iter() if e in position_of]
    positions: dict[HtmlElement, str] = {}
    for element, position in landmarks:
        for anchor in element.iter("a"):
            positions[anchor] = position
    return positions


def _in_content_scope(element: HtmlElement) -> bool:
    return any(ancestor.tag in CONTENT_SCOPES for ancestor in element.iterancestors())
