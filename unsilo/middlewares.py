"""Downloader middleware tweaks the audit needs from Scrapy's defaults."""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware


class RecordingRedirectMiddleware(RedirectMiddleware):
    """Fetch a redirect's target even when that URL was already crawled.

    With Scrapy's default, the dupefilter drops the redirected request when its target was
    seen before, and with it the only record that the linked URL redirects at all. Loops
    stay bounded by ``REDIRECT_MAX_TIMES``. (``_redirect`` is Scrapy's internal hook; the
    test suite covers this behaviour, so an upgrade that changes it fails loudly.)
    """

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        redirected = super()._redirect(redirected, request, reason)
        redirected.dont_filter = True
        return redirected
