"""Short links in posts (bit.ly, t.co, …) and the shop's own redirects: which to follow, where.

Pure rules; the spider does the bounded HEAD requests (``dont_redirect``, at most
``MAX_HOPS``) and asks these functions whether a URL needs resolving and where a hop
leads. A post linking ``bit.ly/x`` that lands on ``/sale`` credits ``/sale``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from unsilo.urls import is_http_url, registrable_domain, same_site

SHORTENERS: frozenset[str] = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "t.co",
        "buff.ly",
        "ow.ly",
        "tinyurl.com",
        "lnkd.in",
        "goo.gl",
        "is.gd",
        "rebrand.ly",
        "tiny.cc",
        "shorturl.at",
        "cutt.ly",
        "rb.gy",
        "dlvr.it",
        "fb.me",
        "trib.al",
        "amzn.to",
        "youtu.be",
        "linktr.ee",
        "t.ly",
        "s.id",
    }
)
MAX_HOPS = 5
MAX_RESOLUTIONS = 300  # distinct URLs per run: the HEAD requests stay a small, known cost
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def is_short_link(url: str, extra_hosts: Iterable[str] = ()) -> bool:
    """True for a URL on a known shortener (or one of ``extra_hosts``, ``host[:port]``).

    >>> is_short_link("https://bit.ly/3xYz"), is_short_link("https://shop.example/bit.ly")
    (True, False)
    """
    if not is_http_url(url):
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    extra = {h.lower() for h in extra_hosts}
    return (
        host in SHORTENERS
        or registrable_domain(host) in SHORTENERS
        or host in extra
        or (parts.netloc.lower() in extra)
    )


def needs_resolving(url: str, site: str | None, extra_hosts: Iterable[str] = ()) -> bool:
    """Short links, and links into the shop itself (whose redirects move the credit)."""
    if is_short_link(url, extra_hosts):
        return True
    return bool(site) and is_http_url(url) and same_site(url, site or "")


def next_hop(url: str, status: int, headers: Mapping[Any, Any]) -> str | None:
    """The absolute ``Location`` of a redirect answer, if it is http(s); else ``None``."""
    if status not in REDIRECT_STATUSES:
        return None
    location = _header(headers, "location")
    if not location:
        return None
    target = urljoin(url, location.strip())
    return target if is_http_url(target) else None


def _header(headers: Mapping[Any, Any], name: str) -> str | None:
    for key, value in headers.items():
        key = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key.lower() != name:
            continue
        if isinstance(value, list | tuple):
            value = value[0] if value else b""
        return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None
