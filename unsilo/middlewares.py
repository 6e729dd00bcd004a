"""Downloader middleware tweaks the audit needs from Scrapy's defaults.

* ``RecordingRedirectMiddleware`` — a redirect's target is fetched even when crawled before,
  and a redirect to a ``javascript:``, ``data:`` or ``file:`` URL is kept as the 3xx it is,
  its target recorded and never fetched;
* ``RetryAfterMiddleware`` — a 429 or 503 with ``Retry-After`` slows the host down and is
  asked again after the wait, within a cap;
* ``TrapSkipMiddleware`` — a request already queued when its URL family turned out to be a
  spider trap (``unsilo.spiders.traps``) is dropped before it is sent.

robots.txt fetching per RFC 9309 lives in ``unsilo.robots_fetch``.
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

HTTP_SCHEMES = frozenset({"http", "https"})
BAD_REDIRECT_META = "unsilo_bad_redirect"
"""Request meta key: the Location of a 3xx that pointed to a non-HTTP scheme."""


class RecordingRedirectMiddleware(RedirectMiddleware):
    """Fetch a redirect's target even when that URL was already crawled; keep a redirect to
    a non-HTTP scheme as the 3xx it is.

    With Scrapy's default, the dupefilter drops the redirected request when its target was
    seen before, and with it the only record that the linked URL redirects at all. Loops
    stay bounded by ``REDIRECT_MAX_TIMES``. (``_redirect`` is Scrapy's internal hook; the
    test suite covers this behaviour, so an upgrade that changes it fails loudly.)

    A ``Location: javascript:…`` (or ``data:``, ``file:``) is never followed — following it
    would run nothing useful at best and read a local file at worst — and Scrapy either
    raises on it or passes the 3xx on without saying where it pointed. Here the 3xx reaches
    the spider with the raw target in ``request.meta[BAD_REDIRECT_META]``.
    """

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if 300 <= response.status < 400 and not request.meta.get("dont_redirect"):
            location = response.headers.get("Location")
            if location:
                target = location.decode("latin-1").strip()
                scheme = urlsplit(urljoin(request.url, target)).scheme.lower()
                if scheme not in HTTP_SCHEMES:
                    request.meta[BAD_REDIRECT_META] = target
                    return response
        return super().process_response(request, response)

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        redirected = super()._redirect(redirected, request, reason)
        redirected.dont_filter = True
        return redirected


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), or None.

    >>> retry_after_seconds(b"120")
    120.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    """
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    """Honour ``Retry-After`` on 429 and 503: slow the host's slot, wait, ask again.

    The host's download slot gets at least the asked delay between requests (AutoThrottle
    may raise it further and lowers it again as the host recovers), and the refused request
    is sent again once the wait is over, up to ``UNSILO_RETRY_AFTER_TIMES`` times. A wait
    longer than ``UNSILO_RETRY_AFTER_MAX`` seconds, or one try too many, keeps the 429/503 as
    the page's final status (recorded; Scrapy's own retries are not added on top). A 429/503
    without the header is left to Scrapy's ``RetryMiddleware`` as before. Only spiders that
    say ``retry_after_backoff = True`` (the shop spider) are served.
    """

    STATUSES = frozenset({429, 503})

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_times = crawler.settings.getint("UNSILO_RETRY_AFTER_TIMES", 3)
        self.max_wait = crawler.settings.getfloat("UNSILO_RETRY_AFTER_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in self.STATUSES or request.meta.get("dont_retry"):
            return response
        if not getattr(self.crawler.spider, "retry_after_backoff", False):
            return response  # the social and signals spiders pace their APIs themselves
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None:
            return response
        stats = self.crawler.stats
        tries = request.meta.get("unsilo_retry_after", 0)
        if tries >= self.max_times or wait > self.max_wait:
            request.meta["dont_retry"] = True  # the final status is this answer: keep it
            if stats:
                stats.inc_value("unsilo/retry_after/gave_up")
            return response
        self._slow_down(request, wait)
        if stats:
            stats.inc_value("unsilo/retry_after/waited")
        from twisted.internet import reactor  # the one Scrapy installed (never at import)

        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        retry = request.copy()
        retry.meta["unsilo_retry_after"] = tries + 1
        retry.dont_filter = True
        return retry

    def _slow_down(self, request: Request, wait: float) -> None:
        engine = self.crawler.engine
        slots = getattr(getattr(engine, "downloader", None), "slots", {})
        slot = slots.get(request.meta.get("download_slot"))
        if slot is not None:
            slot.delay = max(slot.delay, min(wait, self.max_wait))


class TrapSkipped(IgnoreRequest):
    """A queued request whose URL family became a spider trap after it was queued."""


class TrapSkipMiddleware:
    """Drop queued requests the spider's trap guard no longer admits (none are recorded).

    Up to ``UNSILO_MAX_IN_FLIGHT`` requests sit in Scrapy's scheduler when a trap is
    recognised; without this, all of them would still be fetched.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapSkipMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        guard = getattr(spider, "traps", None)
        if guard is None or request.meta.get("unsilo_aux") or "found_via" not in request.meta:
            return
        admitted = guard.admit(request.url)
        if admitted is None or (admitted != request.url and admitted in spider.seen):
            raise TrapSkipped(f"crawl trap: {request.url}")
