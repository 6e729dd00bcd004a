"""Short links in posts and the shop's own redirects, followed by bounded HEAD requests.

A mixin of the ``social`` spider, kept apart because it is the same for every platform and
has its own small state: which URLs are resolved, and which links wait for an answer. The
rules (which URL needs resolving, where a hop leads) are pure, in ``unsilo.social.resolve``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from unsilo.social.items import PostLinkItem
from unsilo.social.resolve import MAX_HOPS, MAX_RESOLUTIONS, needs_resolving, next_hop
from unsilo.urls import registrable_domain, url_domain, url_key


class ShortLinkResolving:
    """Yields a post's link once it is known where it leads (at most ``MAX_HOPS`` hops, at
    most ``MAX_RESOLUTIONS`` distinct URLs a run; a link beyond the budget stays as it is)."""

    def init_short_links(self, site: str | None, shorteners: list[str]) -> None:
        """``site``: the shop (URL or bare host); ``shorteners``: extra shortener hosts."""
        self.site = _site(site)
        self.shorteners = shorteners
        self.resolved: dict[str, str | None] = {}
        self.waiting: dict[str, list[PostLinkItem]] = {}

    def _resolve(self, link: PostLinkItem) -> Iterator[Any]:
        url = link.url
        if not needs_resolving(url, self.site, self.shorteners):
            yield link
        elif url in self.resolved:
            yield _resolved(link, self.resolved[url])
        elif url in self.waiting:
            self.waiting[url].append(link)
        elif len(self.resolved) + len(self.waiting) >= MAX_RESOLUTIONS:
            yield link
        else:
            self.waiting[url] = [link]
            yield self._hop(url, url, 0)

    def _hop(self, origin: str, url: str, hops: int) -> scrapy.Request:
        return scrapy.Request(
            url,
            method="HEAD",
            callback=self.on_hop,
            errback=self.on_hop_error,
            dont_filter=True,
            meta={
                "dont_redirect": True,
                "handle_httpstatus_all": True,
                "download_slot": "social-resolve",
                "unsilo_origin": origin,
                "unsilo_hops": hops,
            },
        )

    def on_hop(self, response: Response) -> Iterator[Any]:
        origin, hops = response.meta["unsilo_origin"], response.meta["unsilo_hops"]
        target = next_hop(response.url, response.status, response.headers)
        if target is not None and hops + 1 < MAX_HOPS:
            yield self._hop(origin, target, hops + 1)
            return
        yield from self._settle(origin, target or response.url)

    def on_hop_error(self, failure: Failure) -> Iterator[Any]:
        meta = failure.request.meta
        hops_made = meta["unsilo_hops"]
        yield from self._settle(meta["unsilo_origin"], failure.request.url if hops_made else None)

    def _settle(self, origin: str, resolved: str | None) -> Iterator[Any]:
        self.resolved[origin] = resolved
        for link in self.waiting.pop(origin, []):
            yield _resolved(link, resolved)


def _resolved(link: PostLinkItem, url: str | None) -> PostLinkItem:
    link.resolved_url = url
    link.resolved_url_key = url_key(url) if url else None
    link.resolved_domain = url_domain(url)
    return link


def _site(site: str | None) -> str | None:
    """The shop's registrable domain from ``-a site`` (a URL or a bare host)."""
    if not site:
        return None
    host = urlsplit(site if "://" in site else f"//{site}").hostname or ""
    return registrable_domain(host) or None
