"""URL identity: the one normalization every join key goes through.

Shares, mentions, links and pages meet in SQL on ``url_key(url)``. The rules, in order:

* scheme and host lower-cased, IDNA host kept as punycode, default ports dropped;
* the fragment dropped;
* tracking parameters dropped (``utm_*``, ``fbclid``, ``gclid``, ``msclkid``, ...), and
  the parameters a shop's config names (``drop_query_params``: ``sort``, ``sessionid``);
* remaining query parameters sorted, percent-encoding made canonical (w3lib);
* a trailing slash dropped from every path but ``/``;
* ``http`` and ``https`` are kept apart: a shop that serves both has two URLs.

>>> url_key("HTTPS://Shop.Example:443/Shoes/?utm_source=x&b=2&a=1#top")
'https://shop.example/Shoes?a=1&b=2'
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from publicsuffixlist import PublicSuffixList
from w3lib.url import canonicalize_url

_TRACKING = (
    r"utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|igshid|"
    r"ref_src|spm|srsltid"
)
TRACKING_PARAMS = re.compile(rf"^({_TRACKING})$", re.IGNORECASE)
# Tracking parameters plus the ones the crawl's config drops (``drop_query_params``); one
# setting per process, as a process crawls one shop, so every key of its run agrees.
_dropped = TRACKING_PARAMS
_configured: re.Pattern[str] | None = None
_PARAM_NAME = re.compile(r"[A-Za-z0-9_.\-\[\]*]+")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Paths and query pairs made only of these characters come out of w3lib's canonicalization
# unchanged, so they skip it: a shop page has hundreds of links and canonicalize_url costs
# ~30 µs each, most of a page's extraction time. tests/unsilo/test_urls.py checks both agree.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9\-._~!$'()*,;:@/]*")
_PLAIN_PAIR = re.compile(r"[A-Za-z0-9\-._~]+=[A-Za-z0-9\-._~]*")


def url_key(url: str) -> str:
    """Return the normalized join key of ``url`` (see the module docstring).

    A string that is not an http(s) URL is returned stripped but otherwise unchanged,
    so a ``mailto:`` or malformed href still has a stable key.
    """
    return _url_key(url, fast=True)


def _url_key(url: str, *, fast: bool) -> str:
    """``url_key``; ``fast=False`` always takes w3lib's path (the reference the tests use)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = "&".join(
        p for p in parts.query.split("&") if p and not _dropped.match(p.split("=", 1)[0])
    )
    path = parts.path or "/"
    pairs = query.split("&") if query else []
    plain = host.isascii() and "/." not in path and _PLAIN_PATH.fullmatch(path)
    if fast and plain and all(_PLAIN_PAIR.fullmatch(p) for p in pairs):
        query = "&".join(sorted(pairs, key=lambda p: tuple(p.split("=", 1))))
    else:
        canonical = canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))
        scheme, netloc, path, query, _ = urlsplit(canonical)
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The registrable domain (eTLD+1) of ``host``: ``www.shop.co.uk`` → ``shop.co.uk``.

    Hosts without a public suffix (``localhost``, IP addresses) are their own site. An IP
    literal (``www.127.0.0.1:8000``, ``[::1]:8000``) is its address, ``www.`` and the port
    dropped, so a share spelled with ``www.`` still belongs to an IP-hosted shop.

    >>> registrable_domain("www.127.0.0.1:8000"), registrable_domain("[::1]:8000")
    ('127.0.0.1', '::1')
    """
    host = host.lower().strip().rstrip(".")
    address = _ip_literal(host.removeprefix("www."))
    if address is not None:
        return address
    if not host or ":" in host:
        return host
    return _psl().privatesuffix(host) or host


def _ip_literal(host: str) -> str | None:
    """``host`` (maybe with a port, IPv6 maybe in brackets) as a bare IP address, or None."""
    candidates = [host]
    if host.startswith("["):
        candidates = [host[1:].split("]", 1)[0]]  # [v6] or [v6]:port
    elif host.count(":") == 1:
        candidates.append(host.split(":", 1)[0])  # v4:port
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def same_site(url: str, site: str) -> bool:
    """True when ``url``'s host belongs to the registrable domain ``site``."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return registrable_domain(host) == site


def http_url_key(url: str | None) -> str | None:
    """``url_key`` of an absolute http(s) URL; None for anything else (relative, ``mailto:``).

    The stored join keys beside a raw URL (og:url, hreflang targets) use this, so a value
    that names no page never joins anything.

    >>> http_url_key(" HTTPS://Shop.Example/a/ "), http_url_key("/a"), http_url_key(None)
    ('https://shop.example/a', None, None)
    """
    return url_key(url) if url and is_http_url(url) else None


def url_domain(url: str | None) -> str | None:
    """The registrable domain of an http(s) URL's host; None when it is no http(s) URL.

    Stored beside social links so models compare sites without parsing hosts in SQL.

    >>> url_domain("https://www.Shop.co.uk/p?x=1"), url_domain("mailto:a@b.example")
    ('shop.co.uk', None)
    """
    if not url or not is_http_url(url):
        return None
    return registrable_domain(urlsplit(url.strip()).hostname or "")


def loose_url_key(url: str | None) -> str | None:
    """``url``'s key without its scheme and a leading ``www.``; None for no http(s) URL.

    A share of ``http://www.shop.example/a/`` is a share of ``https://shop.example/a``:
    ``url_key`` already folds case, default ports, a trailing slash and tracking
    parameters, so the scheme and ``www.`` are what spellings of one page still differ in.
    The SQL macro ``loose_key`` (pipeline/sql/macros/urls.sql) applies the same rule to
    stored keys; tests/unsilo/test_urls.py checks that both agree.

    >>> loose_url_key("http://www.Shop.example/a/?utm_source=x")
    'shop.example/a'
    """
    key = http_url_key(url)
    if key is None:
        return None
    return key.split("://", 1)[1].removeprefix("www.")


def same_page(url: str | None, page_key: str) -> bool:
    """Whether ``url`` names the page whose key is ``page_key``, scheme and ``www.`` aside.

    >>> same_page("http://www.shop.example/a", "https://shop.example/a")
    True
    >>> same_page("https://shop.example/a-set", "https://shop.example/a")
    False
    """
    mine = loose_url_key(url)
    return mine is not None and mine == loose_url_key(page_key)


def www_toggled(url: str) -> str:
    """``url`` with a leading ``www.`` added to or taken from its host: the other spelling
    exact-string indexes (Constellation, Lemmy) need to be asked for.

    >>> www_toggled("https://shop.example/a")
    'https://www.shop.example/a'
    """
    parts = urlsplit(url)
    host = parts.netloc
    other = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
    return urlunsplit(parts._replace(netloc=other))


def is_http_url(url: str) -> bool:
    """True for absolute http(s) URLs with a host; guards every link we follow or render."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in DEFAULT_PORTS and bool(parts.hostname)


def check_param_names(names: Iterable[str]) -> list[str]:
    """Query parameter names to drop, checked: letters, digits, ``_.-[]`` and ``*`` (any run).

    >>> check_param_names(["sort", "filter_*"])
    ['sort', 'filter_*']
    """
    checked = []
    for name in names:
        if not _PARAM_NAME.fullmatch(name):
            raise ValueError(f"{name!r} is not a query parameter name (e.g. sort or filter_*)")
        checked.append(name)
    return checked


def drop_query_params(names: Iterable[str]) -> None:
    """Make ``url_key`` (and ``without_dropped_params``) drop these parameters too.

    Called by the shop spider from its ``UNSILO_DROP_QUERY`` setting, once per crawl; an
    empty list restores the tracking parameters alone. Names match case-insensitively,
    as tracking parameters do; ``*`` stands for any run of characters.
    """
    global _dropped, _configured
    names = check_param_names(names)
    if not names:
        _dropped, _configured = TRACKING_PARAMS, None
        return
    extra = "|".join(re.escape(name).replace(r"\*", ".*") for name in names)
    _configured = re.compile(rf"^({extra})$", re.IGNORECASE)
    _dropped = re.compile(rf"^({_TRACKING}|{extra})$", re.IGNORECASE)


def without_dropped_params(url: str) -> str:
    """``url`` without the configured parameters, else as given: the URL a crawl requests.

    So ``/shoes?sort=price`` and ``/shoes?sort=name`` are one request, not two. Tracking
    parameters are left for the server to see (only their keys drop them).

    >>> drop_query_params(["sort"]); without_dropped_params("https://s.example/a?sort=1&p=2")
    'https://s.example/a?p=2'
    >>> drop_query_params([])
    """
    if _configured is None or "?" not in url:
        return url
    base, _, rest = url.partition("?")
    query, hash_, fragment = rest.partition("#")
    kept = [p for p in query.split("&") if p and not _configured.match(p.split("=", 1)[0])]
    return base + ("?" + "&".join(kept) if kept else "") + hash_ + fragment


def check_patterns(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    """URL patterns (Python regular expressions, searched anywhere in the absolute URL).

    The convention of Scrapy's ``LinkExtractor(allow=…, deny=…)``; a bad one raises a
    ``ValueError`` that says where it breaks.
    """
    compiled = []
    for pattern in patterns:
        if not pattern:
            raise ValueError("an empty pattern would match every URL")
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
    return compiled


def setting_list(value: object) -> list[str]:
    """A list setting as given in a settings dict (a list) or by ``-s`` (a JSON list or one item).

    >>> setting_list('["/cart", "/checkout"]'), setting_list("/cart"), setting_list(None)
    (['/cart', '/checkout'], ['/cart'], [])
    """
    if not value:
        return []
    if isinstance(value, str):
        if value.lstrip().startswith("["):
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise ValueError(f"not a JSON list of strings: {value!r}") from exc
        else:
            return [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return list(value)


@dataclass(frozen=True)
class UrlScope:
    """Which URLs a crawl follows: matching an include pattern (if any), and no exclude one.

    The start URL is always fetched; the scope decides which links and sitemap URLs are.
    """

    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def of(cls, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> UrlScope:
        return cls(tuple(check_patterns(include)), tuple(check_patterns(exclude)))

    def allows(self, url: str) -> bool:
        """True when the crawl may follow ``url``.

        >>> UrlScope.of(include=["/shop/"], exclude=[r"[?&]sort="]).allows("https://s.example/shop/a")
        True
        >>> UrlScope.of(exclude=["/cart"]).allows("https://s.example/cart?x=1")
        False
        """
        if self.include and not any(p.search(url) for p in self.include):
            return False
        return not any(p.search(url) for p in self.exclude)
