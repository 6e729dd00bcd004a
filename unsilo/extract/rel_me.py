"""``rel="me"`` links and the profile links a page carries.

A profile can be named three ways: an ordinary link to it, a schema.org ``sameAs``, or a
``rel="me"`` link (``<a>`` or ``<link>``) that says "this account is also us". Each way is
reported once per profile URL, so a footer icon repeated on the page counts once.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from unsilo.extract.dom import resolve, tokens
from unsilo.extract.profiles import classify_profile
from unsilo.items import ProfileLinkItem
from unsilo.urls import is_http_url, url_domain

REL_ELEMENTS = etree.XPath("//a[@rel and @href] | //link[@rel and @href]")


def rel_me_urls(root: HtmlElement, base: str) -> list[str]:
    """Distinct absolute http(s) URLs of ``rel=me`` links, in document order."""
    urls = (
        resolve(element.get("href", ""), base)
        for element in REL_ELEMENTS(root)
        if "me" in tokens(element)
    )
    return list(dict.fromkeys(u for u in urls if is_http_url(u)))


def profile_links(
    page_key: str, *, links: list[str], same_as: list[str], rel_me: list[str]
) -> list[ProfileLinkItem]:
    """One ``ProfileLinkItem`` per distinct (profile URL, source) naming a profile."""
    items: list[ProfileLinkItem] = []
    for source, urls in (("link", links), ("sameAs", same_as), ("rel-me", rel_me)):
        for url in dict.fromkeys(urls):
            profile = classify_profile(url)
            if profile is not None:
                platform, handle = profile
                items.append(
                    ProfileLinkItem(
                        url_key=page_key,
                        platform=platform,
                        handle=handle,
                        profile_url=url,
                        source=source,
                        domain=url_domain(url),
                    )
                )
    return items
