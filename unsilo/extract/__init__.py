"""Page extraction: one Scrapy response in, every fact the audit needs out.

The spider calls ``extract_page`` once per response. Everything is read from the one
lxml tree Scrapy's selector already built (``response.selector.root``); each fact has its
own small module, and this one only assembles their answers into the shared items.
Extraction is pure: no requests, no clock, no state between pages.
"""

from __future__ import annotations

from datetime import datetime

from lxml.html import HtmlElement
from scrapy.http import HtmlResponse, Response, TextResponse

from unsilo.extract import fetch
from unsilo.extract.canonical import extract_canonical
from unsilo.extract.content import extract_content
from unsilo.extract.crawlable import uncrawlable_anchors
from unsilo.extract.dom import base_url
from unsilo.extract.head import extract_head
from unsilo.extract.hreflang import extract_hreflang
from unsilo.extract.link_header import HeaderLink, parse_link_headers
from unsilo.extract.link_position import link_positions
from unsilo.extract.link_text import lang_of
from unsilo.extract.links import anchors, link_items
from unsilo.extract.opengraph import extract_social_meta, og_url_key
from unsilo.extract.products import extract_products
from unsilo.extract.rel_me import profile_links, rel_me_urls
from unsilo.extract.robots import extract_robots
from unsilo.extract.share import share_links
from unsilo.extract.structured_data import extract_structured_data
from unsilo.extract.widgets import extract_widgets
from unsilo.items import PageItem, PageRecord, PageSocialItem
from unsilo.urls import url_domain, url_key

__all__ = ["ExtractedPage", "extract_page"]


# Everything one response yields: the page row, its links, social facts, profiles. It is
# the item the spider yields, so the extractor's output is stored as it is.
ExtractedPage = PageRecord


def extract_page(
    response: Response, *, site: str, rdfa: bool = False, now: datetime | None = None
) -> ExtractedPage:
    """Extract a response; ``site`` is the shop's registrable domain.

    Non-HTML responses get fetch facts and what their headers say (``X-Robots-Tag``, and
    the ``Link`` canonical and hreflang that PDFs rely on). The spider fills in what
    the response cannot know (requested URL, redirect chain, depth, timing) and hands in
    ``now``, the fetch time an ``unavailable_after`` date is judged against.
    """
    content_type = fetch.header(response, "Content-Type")
    page = PageItem(
        url=response.url,
        url_key=url_key(response.url),
        final_url=response.url,
        final_url_key=url_key(response.url),
        status=response.status,
        final_url_domain=url_domain(response.url),
        content_type=content_type,
        is_html=fetch.is_html(response, content_type),
        size_bytes=len(response.body),
    )
    header_links = parse_link_headers(fetch.header_values(response, "Link"))
    x_robots = fetch.header_values(response, "X-Robots-Tag")
    if not page.is_html:
        _set_robots(page, None, x_robots, now)
        page.hreflang = extract_hreflang(None, response.url, response.url, header_links)
        _set_canonical(page, None, response.url, header_links)
        return ExtractedPage(page=page)
    if not isinstance(response, TextResponse):
        response = response.replace(cls=HtmlResponse)  # HTML sniffed in a binary response
    page.encoding = fetch.encoding(response)
    root: HtmlElement = response.selector.root
    base = base_url(root, response.url)
    _set_robots(page, root, x_robots, now)
    _set_head(page, root, base, response.url, header_links)
    found = anchors(root, base)
    links = link_items(
        found,
        page.url_key,
        site,
        page_url=response.url,
        lang_of=lang_of(root),
        positions=link_positions(root),
    )
    page.uncrawlable_anchors, page.uncrawlable_anchor_count = uncrawlable_anchors(root)
    page.internal_links = sum(link.internal for link in links)
    page.external_links = len(links) - page.internal_links
    structured = extract_structured_data(
        root, base, rdfa_body=response.body if rdfa else None, encoding=page.encoding or "utf-8"
    )
    page.structured_data_types = structured.types
    page.structured_data_errors = structured.errors
    hrefs = [anchor.href for anchor in found]
    og, twitter = extract_social_meta(root)
    widgets = extract_widgets(root, hrefs)
    rel_me = rel_me_urls(root, base)
    own_og_url_key = og_url_key(og)
    own_keys = {page.url_key, page.final_url_key, page.canonical_key, own_og_url_key}
    social = PageSocialItem(
        url_key=page.url_key,
        og=og,
        og_url_key=own_og_url_key,
        twitter=twitter,
        share_links=share_links(hrefs, frozenset(k for k in own_keys if k)),
        share_widgets=widgets.share_widgets,
        web_share_api=widgets.web_share_api,
        comment_widgets=widgets.comment_widgets,
        review_markup=structured.review_markup,
        social_login=widgets.social_login,
        same_as=structured.same_as,
        rel_me=rel_me,
    )
    profiles = profile_links(
        page.url_key,
        links=[link.target_url for link in links],
        same_as=structured.claimed_same_as,  # a Product's sameAs is no claim of a profile
        rel_me=rel_me,
    )
    products = extract_products(page.url_key, structured, og)
    return ExtractedPage(
        page=page, links=links, social=social, profile_links=profiles, products=products
    )


def _set_robots(
    page: PageItem, root: HtmlElement | None, x_robots: list[str], now: datetime | None
) -> None:
    robots = extract_robots(root, x_robots, now)
    page.robots_directives = robots.directives
    page.x_robots_tag = robots.x_robots_tag
    page.noindex = robots.noindex
    page.nofollow = robots.nofollow
    page.unavailable_after = robots.unavailable_after
    page.robots_blocked_agents = robots.blocked_agents


def _set_canonical(
    page: PageItem, root: HtmlElement | None, base: str, header_links: list[HeaderLink]
) -> None:
    """Canonical facts; the page's hreflang alternates must be extracted first."""
    alternates = [h.url for h in page.hreflang if h.url_key]
    canonical = extract_canonical(root, base, page.final_url, header_links, alternates)
    page.canonical, page.canonical_key = canonical.canonical, canonical.canonical_key
    page.canonicals, page.canonical_conflict = canonical.canonicals, canonical.conflict
    page.body_canonicals_ignored = canonical.body_ignored
    page.canonical_invalid, page.canonical_relative = canonical.invalid, canonical.relative
    page.canonical_to_root = canonical.to_root
    page.canonical_to_alternate = canonical.to_alternate


def _set_head(
    page: PageItem, root: HtmlElement, base: str, url: str, header_links: list[HeaderLink]
) -> None:
    """Title, description, lang, refresh, canonical, hreflang, headings, images."""
    head = extract_head(root)
    page.title, page.title_count = head.title, head.title_count
    page.meta_description = head.meta_description
    page.meta_description_count = head.meta_description_count
    page.lang, page.meta_refresh = head.lang, head.meta_refresh
    page.hreflang = extract_hreflang(root, base, url, header_links)
    _set_canonical(page, root, base, header_links)
    content = extract_content(root)
    page.h1, page.h2, page.word_count = content.h1, content.h2, content.word_count
    page.images, page.images_missing_alt = content.images, content.images_missing_alt
    page.images_missing_alt_src = content.images_missing_alt_src
