"""Social widgets a page embeds: share toolbars, the Web Share API, comment and review
widgets, social login.

Each widget is recognised by the fingerprints its vendor documents: the script it loads,
the class or id of the element it fills. Tokens and URLs are collected from the tree once
and matched against one catalogue per kind; results come in catalogue order, each once.
Nothing here runs a regular expression over the raw HTML string.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from unsilo.extract.social_login import social_login

CLASSES = etree.XPath("//@class", smart_strings=False)
IDS = etree.XPath("//@id", smart_strings=False)
EMBED_SRCS = etree.XPath("//script/@src | //iframe/@src", smart_strings=False)
INLINE_SCRIPTS = etree.XPath("//script[not(@src)]/text()", smart_strings=False)
EVENT_HANDLERS = etree.XPath("//@*[starts-with(name(), 'on')]", smart_strings=False)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What identifies one widget: any class/id token, or a substring of a script/iframe src."""

    name: str
    tokens: frozenset[str] = frozenset()
    srcs: tuple[str, ...] = ()


def _fp(name: str, tokens: str = "", srcs: tuple[str, ...] = ()) -> Fingerprint:
    return Fingerprint(name, frozenset(tokens.split()), srcs)


SHARE_WIDGETS = (
    _fp("addtoany", "a2a_kit a2a_dd a2a_default_style", ("static.addtoany.com",)),
    _fp(
        "sharethis",
        "sharethis-inline-share-buttons sharethis-sticky-share-buttons st-custom-button",
        ("sharethis.com",),
    ),
    _fp(
        "addthis",
        "addthis_toolbox addthis_inline_share_toolbox addthis_sharing_toolbox",
        ("addthis.com",),
    ),
    _fp("shareaholic", "shareaholic-canvas", ("shareaholic.com", "shareaholic.net")),
    _fp("social-warfare", "swp_social_panel social-warfare", ("social-warfare",)),
    _fp("shariff", "shariff", ("shariff",)),
    _fp("jetpack-sharing", "sharedaddy", ()),
    _fp("facebook-like", "fb-like", ("facebook.com/plugins/like.php",)),
    _fp("facebook-share", "fb-share-button", ("facebook.com/plugins/share_button.php",)),
    _fp("x-share-button", "twitter-share-button", ()),
)
COMMENT_WIDGETS = (
    _fp("disqus", "disqus_thread", ("disqus.com/embed.js",)),
    _fp("facebook-comments", "fb-comments", ("facebook.com/plugins/comments.php",)),
    _fp("commento", "commento", ("cdn.commento.io",)),
    _fp("hyvor-talk", "hyvor-talk-view", ("talk.hyvor.com",)),
    _fp("utterances", "", ("utteranc.es",)),
    _fp("giscus", "giscus", ("giscus.app",)),
    # review widgets: the shop's customers talking, shown on the page
    _fp("trustpilot", "trustpilot-widget", ("widget.trustpilot.com",)),
    _fp("yotpo", "yotpo yotpo-main-widget yotpo-reviews", ("yotpo.com",)),
    _fp("judge.me", "jdgm-widget jdgm-review-widget", ("judge.me",)),
)


@dataclass(slots=True)
class WidgetFacts:
    share_widgets: list[str]
    web_share_api: bool
    comment_widgets: list[str]
    social_login: list[str]


def match(catalogue: tuple[Fingerprint, ...], tokens: set[str], srcs: list[str]) -> list[str]:
    """Names of the catalogue entries found, in catalogue order."""
    return [
        fp.name
        for fp in catalogue
        if fp.tokens & tokens or any(s in src for s in fp.srcs for src in srcs)
    ]


def uses_web_share_api(root: HtmlElement) -> bool:
    """``navigator.share`` called from an inline script or an ``on…`` handler."""
    code = INLINE_SCRIPTS(root) + EVENT_HANDLERS(root)
    return any("navigator.share" in str(piece) for piece in code)


def extract_widgets(root: HtmlElement, hrefs: list[str]) -> WidgetFacts:
    """All widget facts of a page; ``hrefs`` are its resolved ``<a href>`` values."""
    tokens = {t for value in CLASSES(root) for t in value.lower().split()}
    tokens.update(value.strip().lower() for value in IDS(root))
    srcs = [src.strip().lower() for src in EMBED_SRCS(root)]
    return WidgetFacts(
        share_widgets=match(SHARE_WIDGETS, tokens, srcs),
        web_share_api=uses_web_share_api(root),
        comment_widgets=match(COMMENT_WIDGETS, tokens, srcs),
        social_login=social_login(root, tokens, srcs, hrefs),
    )
