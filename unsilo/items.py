"""Typed items: the fixed schema every spider yields and every table is built from.

Each top-level item is one row of one table (``TABLE`` names it). Items carry facts
only; the storage pipeline adds ``run_id`` when it writes them, so extractors stay pure
and fixture output does not depend on which run produced it. Lists stay lists, nested
dataclasses become DuckDB ``STRUCT``s, and a missing fact is ``None``: the column set
never changes from page to page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(slots=True)
class RedirectHop:
    """One step of a redirect chain: ``url`` answered ``status`` and pointed on."""

    url: str
    status: int


@dataclass(slots=True)
class MetaProperty:
    """One ``<meta property|name=… content=…>`` pair, kept in document order."""

    property: str
    content: str


@dataclass(slots=True)
class Hreflang:
    """One hreflang alternate from the head or the ``Link`` header."""

    lang: str
    url: str
    source: str  # "head" | "header"
    valid: bool  # language-region code valid (or x-default), read as written: " en" is not
    url_key: str | None = None  # join key of ``url``; None when no absolute http(s) href
    href_issue: str | None = None  # None | "missing" (no href) | "relative" (not absolute)


@dataclass(slots=True)
class UncrawlableAnchor:
    """An ``<a>`` a crawler cannot follow: no href, ``javascript:``, ``file:``, ``ftp:``, bad URL.

    Kept as text, never as a link: ``href`` is the raw attribute (None when absent).
    ``fails_audit`` follows Lighthouse's crawlable-anchors rules (``javascript:`` fails only
    as ``void(0)``, ``ftp:`` passes); the others are recorded because Google cannot crawl them.
    """

    href: str | None
    text: str
    reason: str  # no-href | javascript | file | ftp | invalid
    fails_audit: bool


@dataclass(slots=True)
class ShareLink:
    """A share affordance: an intent/sharer link to a platform."""

    platform: str  # facebook, x, linkedin, pinterest, reddit, whatsapp, telegram, email, ...
    url: str
    domain: str | None = None  # registrable domain of ``url``; None for mailto:/whatsapp:


@dataclass(slots=True)
class PageItem:
    """One fetched URL, whatever came back: HTML page, redirect end, error or non-HTML.

    Fetch failures (timeout, DNS, refused) are pages too, with ``status`` None and
    ``error`` set, so nothing the crawler tried is silently dropped. ``error_kind`` types the
    failure (``unsilo.fetch_errors.ERROR_KINDS``): models test it, never the message.
    """

    TABLE = "pages"

    url: str  # the URL as requested (raw)
    url_key: str  # normalized join key of ``url``
    final_url: str  # after redirects
    final_url_key: str
    status: int | None
    final_url_domain: str | None = None  # registrable domain of ``final_url``
    error: str | None = None  # one line for people
    error_kind: str | None = None  # robots | dns | refused | timeout | tls | too-large | ...
    redirect_chain: list[RedirectHop] = field(default_factory=list)
    content_type: str | None = None
    is_html: bool = False
    encoding: str | None = None
    response_ms: float | None = None
    size_bytes: int | None = None
    depth: int = 0
    referrer: str | None = None
    found_via: str = "link"  # start | link | sitemap | redirect
    fetched_at: str | None = None  # ISO 8601, UTC
    # on-page SEO facts (None / empty when not HTML)
    title: str | None = None
    title_count: int = 0
    meta_description: str | None = None
    meta_description_count: int = 0
    robots_directives: list[str] = field(default_factory=list)  # apply to all crawlers
    x_robots_tag: list[str] = field(default_factory=list)  # raw header values
    noindex: bool = False  # noindex/none for Googlebot; a past unavailable_after adds in SQL
    nofollow: bool = False
    unavailable_after: str | None = None  # ISO 8601 UTC; earliest date for all or Googlebot
    robots_blocked_agents: list[str] = field(default_factory=list)  # robots = every crawler
    canonical: str | None = None  # absolute; None when absent or conflicting
    canonical_key: str | None = None
    canonicals: list[str] = field(default_factory=list)  # every head/header canonical, absolute
    canonical_conflict: bool = False
    body_canonicals_ignored: int = 0
    canonical_invalid: list[str] = field(default_factory=list)  # raw hrefs that are no URL
    canonical_relative: list[str] = field(default_factory=list)  # raw relative hrefs (resolved)
    canonical_to_root: bool = False  # a deep page canonicalised to its site's home page
    canonical_to_alternate: bool = False  # points at another of the page's hreflang alternates
    hreflang: list[Hreflang] = field(default_factory=list)
    lang: str | None = None
    h1: list[str] = field(default_factory=list)
    h2: list[str] = field(default_factory=list)
    word_count: int = 0
    images: int = 0
    images_missing_alt: int = 0
    images_missing_alt_src: list[str] = field(default_factory=list)  # first few
    internal_links: int = 0
    external_links: int = 0
    uncrawlable_anchors: list[UncrawlableAnchor] = field(default_factory=list)  # first few
    uncrawlable_anchor_count: int = 0  # anchors failing Lighthouse's crawlable-anchors
    structured_data_types: list[str] = field(default_factory=list)  # JSON-LD + microdata (+RDFa)
    structured_data_errors: list[str] = field(default_factory=list)
    meta_refresh: str | None = None
    # a 3xx whose Location was not followed (a javascript:, data: or file: target): the raw
    # Location header, so the redirect is recorded with where it pointed
    location: str | None = None


@dataclass(slots=True)
class LinkItem:
    """One ``<a href>`` on a page; internal or external, with anchor text and rel."""

    TABLE = "links"

    source_url_key: str
    target_url: str  # absolute, raw
    target_url_key: str
    anchor: str
    rel: list[str] = field(default_factory=list)
    nofollow: bool = False
    internal: bool = True
    lang: str | None = None  # the link's context language: nearest lang attribute up the tree
    generic_text: bool = False  # non-descriptive text ("click here", a bare URL): link-text
    position: str = "content"  # navigation, header, footer, sidebar or content: link_position


@dataclass(slots=True)
class PageSocialItem:
    """The social facts of one HTML page: share metadata, affordances, widgets."""

    TABLE = "page_social"

    url_key: str
    og: list[MetaProperty] = field(default_factory=list)  # og:*, product:*, article:* in order
    og_url_key: str | None = None  # join key of the first og:url; None when not http(s)
    twitter: list[MetaProperty] = field(default_factory=list)  # twitter:* in order
    share_links: list[ShareLink] = field(default_factory=list)
    share_widgets: list[str] = field(default_factory=list)  # addtoany, sharethis, addthis, ...
    web_share_api: bool = False
    comment_widgets: list[str] = field(default_factory=list)  # disqus, facebook-comments, ...
    review_markup: bool = False  # schema.org Review / AggregateRating
    social_login: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)  # schema.org sameAs URLs
    rel_me: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ProfileLinkItem:
    """A link from a shop page to a social profile, classified by platform and handle."""

    TABLE = "profile_links"

    url_key: str  # the page it was found on
    platform: str
    handle: str | None
    profile_url: str
    source: str  # "link" | "sameAs" | "rel-me"
    domain: str | None = None  # registrable domain of ``profile_url``


@dataclass(slots=True)
class ProductOffer:
    """One schema.org ``Offer`` or ``AggregateOffer`` of a product, as the markup gives it.

    ``price`` is the number read from ``price_text`` (``lowPrice`` for an aggregate offer);
    None when the text is missing or no plain number (``"12,99 €"``, ``"from 10"``), so
    models can tell "no price" from "a price nobody can read". ``availability`` is the
    schema.org ``ItemAvailability`` name (``InStock``), None when ``availability_text`` is
    not one.
    """

    type: str  # Offer | AggregateOffer
    price: Decimal | None = None
    price_text: str | None = None
    high_price: Decimal | None = None
    currency: str | None = None
    availability: str | None = None
    availability_text: str | None = None


@dataclass(slots=True)
class ProductItem:
    """One product a page describes: a schema.org ``Product`` (JSON-LD or microdata) or the
    page's ``product:*`` Open Graph properties (``source`` "open-graph", no name).

    The first offer's price, currency and availability are repeated at the top for plain
    queries; ``offers`` keeps them all. A missing fact is None; ``has_rating`` says an
    ``aggregateRating`` was given at all, so a rating without a value shows as one.
    """

    TABLE = "page_products"

    url_key: str  # the page it was found on
    source: str  # json-ld | microdata | open-graph
    position: int  # 1, 2, … in the page, per source
    types: list[str] = field(default_factory=list)  # Product, ProductGroup, Vehicle, ...
    name: str | None = None
    brand: str | None = None
    sku: str | None = None
    gtin: str | None = None  # gtin, gtin8/12/13/14 or isbn, digits as given
    mpn: str | None = None
    offers: list[ProductOffer] = field(default_factory=list)
    price: Decimal | None = None
    price_text: str | None = None
    currency: str | None = None
    availability: str | None = None
    has_rating: bool = False
    rating_value: float | None = None
    rating_count: int | None = None
    review_count: int | None = None
    reviews: int = 0  # Review items given
    same_as: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SitemapUrlItem:
    """One ``<loc>`` of a sitemap named in robots.txt (or the default ``/sitemap.xml``)."""

    TABLE = "sitemap_urls"

    url: str
    url_key: str
    sitemap_url: str
    lastmod: str | None = None


@dataclass(slots=True)
class SitemapFileItem:
    """One sitemap file the crawl tried to read: how far it got and what was wrong.

    ``problems`` are typed codes (``unsilo.extract.sitemaps``, plus ``http_status`` and
    ``fetch_error`` for a file that never arrived); ``reason`` says the same for people.
    ``urls`` counts the entries read, within the protocol's 50,000.
    """

    TABLE = "sitemaps"

    url: str
    url_key: str
    source: str  # "robots" (named in robots.txt) | "default" (/sitemap.xml) | "index"
    status: int | None = None
    kind: str | None = None  # "urlset" | "sitemapindex" | None (not read as a sitemap)
    urls: int = 0
    bytes_read: int = 0  # uncompressed
    compressed: bool = False
    problems: list[str] = field(default_factory=list)
    reason: str | None = None


@dataclass(slots=True)
class RobotsTxtProblem:
    """One line of robots.txt that Lighthouse's robots-txt audit rejects, and why."""

    line: int  # 1-based
    content: str  # the line as written (capped)
    message: str  # e.g. "Unknown directive", "No user-agent specified"


@dataclass(slots=True)
class OgImageItem:
    """One og:image URL of the run's indexable pages, fetched once: what a platform would get.

    Only the first bytes are read (enough for the image header), so ``width``/``height`` are
    None when the header says nothing readable, and ``bytes_read`` is how much was fetched.
    A fetch that failed has ``status`` None, ``error`` for people and ``error_kind`` typed
    (``unsilo.fetch_errors.ERROR_KINDS``: ``robots`` when robots.txt forbids it).
    """

    TABLE = "og_images"

    url: str  # the og:image content as the page gave it (absolute http(s), trimmed)
    url_key: str
    status: int | None
    content_type: str | None = None
    width: int | None = None
    height: int | None = None
    bytes_read: int = 0
    error: str | None = None
    error_kind: str | None = None


@dataclass(slots=True)
class CrawlTrapItem:
    """A family of URLs the crawl stopped following: many URLs, no new content.

    ``kind`` is ``query`` (a parameter whose values change nothing, e.g. a session id: it is
    dropped from later links) or ``path`` (a path pattern such as ``/calendar/*/*``: later
    links matching it are not followed). ``urls`` is how many of the family were fetched
    when it was recognised, ``repeats`` how many of those brought nothing new.
    """

    TABLE = "crawl_traps"

    kind: str  # query | path
    pattern: str  # "sid" (a parameter name) or "/calendar/*/*" (a path pattern)
    urls: int
    repeats: int
    example_url: str
    example_url_key: str


@dataclass(slots=True)
class RobotsTxtItem:
    """How one host's robots.txt answered (RFC 9309), what the crawl made of it, and whether
    its lines are valid (Lighthouse's robots-txt audit).

    ``rules`` is what was obeyed: ``parsed`` (the file's rules, at most the first 500 KiB),
    ``allow-all`` (4xx: no restrictions) or ``disallow-all`` (5xx or unreachable: nothing may
    be fetched). ``status`` is None when no answer came (``error`` says why).
    """

    TABLE = "robots_txt"

    url: str  # the robots.txt asked for
    url_key: str
    host: str  # scheme://host[:port] it governs
    final_url: str | None  # after redirects (at most 5 hops)
    status: int | None
    size_bytes: int | None  # as received
    bytes_parsed: int  # at most 500 KiB
    redirects: int
    rules: str  # parsed | allow-all | disallow-all
    user_agent: str  # whose rules were applied
    error: str | None = None
    error_kind: str | None = None  # unsilo.fetch_errors.ERROR_KINDS: refused/dns = host down
    # Lighthouse's robots-txt audit of the parsed part (unsilo.extract.robots_txt): ``errors``
    # counts every rejected line ("N errors found"), ``problems`` keeps the first few
    errors: int = 0
    problems: list[RobotsTxtProblem] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PageRecord:
    """Everything one fetch yields, as one Scrapy item; storage unpacks it into its tables.

    A shop page has ~100 links. Yielded one by one, each link row goes through Scrapy's
    per-item machinery (signals, spider middlewares, pipelines, log records), which was
    measured to cost more than extracting the whole page; one item per page keeps the
    crawl close to a bare spider's speed. Feed exports write one nested line per page.
    """

    page: PageItem
    links: list[LinkItem] = field(default_factory=list)
    social: PageSocialItem | None = None
    profile_links: list[ProfileLinkItem] = field(default_factory=list)
    products: list[ProductItem] = field(default_factory=list)

    def rows(self) -> list[object]:
        """The table rows inside, page first."""
        rows: list[object] = [self.page, *self.links]
        if self.social is not None:
            rows.append(self.social)
        rows.extend(self.profile_links)
        rows.extend(self.products)
        return rows


ITEM_TYPES: tuple[type, ...] = (
    PageItem,
    LinkItem,
    PageSocialItem,
    ProfileLinkItem,
    ProductItem,
    SitemapUrlItem,
    SitemapFileItem,
    RobotsTxtItem,
    OgImageItem,
    CrawlTrapItem,
)
