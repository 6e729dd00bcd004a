"""What a fetch itself says about a URL (redirect chain, depth, latency, errors), as page facts.

The shop spider's helpers, kept apart from its navigation: ``add_fetch_facts`` completes the
page an extractor described, ``failed_page`` is the page of a URL that could not be fetched.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from unsilo import clock
from unsilo.fetch_errors import describe_failure
from unsilo.items import PageItem, RedirectHop
from unsilo.middlewares import BAD_REDIRECT_META
from unsilo.urls import url_domain, url_key


def add_fetch_facts(page: PageItem, response: Response) -> None:
    """The redirect chain, depth, referrer, latency and how the URL was found."""
    meta = response.meta
    chain = meta.get("redirect_urls", [])
    reasons = meta.get("redirect_reasons", [])
    if chain:
        page.url = chain[0]
        page.url_key = url_key(chain[0])
        page.redirect_chain = [
            RedirectHop(url=u, status=r if isinstance(r, int) else 0)
            for u, r in zip(chain, reasons, strict=False)
        ]
    page.location = meta.get(BAD_REDIRECT_META)
    page.depth = meta.get("depth", 0)
    page.referrer = _referrer(response.request)
    latency = meta.get("download_latency")
    page.response_ms = round(latency * 1000, 1) if latency is not None else None
    page.found_via = meta.get("found_via", "link")
    page.fetched_at = _now()


def failed_page(failure: Failure, settings: Any) -> PageItem:
    """A URL we could not fetch is still a fact: why, never dropped."""
    request = failure.request  # type: ignore[attr-defined]
    url = request.meta.get("redirect_urls", [request.url])[0]
    failed = describe_failure(failure, settings)
    return PageItem(
        url=url,
        url_key=url_key(url),
        final_url=request.url,
        final_url_key=url_key(request.url),
        final_url_domain=url_domain(request.url),
        status=None,
        error=failed.message,
        error_kind=failed.kind,
        depth=request.meta.get("depth", 0),
        referrer=_referrer(request),
        found_via=request.meta.get("found_via", "link"),
        fetched_at=_now(),
    )


def _referrer(request: Request | None) -> str | None:
    referrer = request.headers.get("Referer") if request is not None else None
    return referrer.decode("latin-1") if referrer else None


def _now() -> str:
    return clock.now().isoformat(timespec="seconds")
