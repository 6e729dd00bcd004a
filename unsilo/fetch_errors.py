"""Turn a failed fetch into a one-line, human-readable fact for the ``pages.error`` column.

The wording matters: the report quotes it, and the CLI uses the ``robots.txt`` prefix to
say that *unsilo's* crawler was blocked (which says nothing about search engines).
"""

from __future__ import annotations

from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import BaseSettings
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

ROBOTS_BLOCKED = "robots.txt disallows unsilo's crawler"


def describe_failure(failure: Failure, settings: BaseSettings | None = None) -> str:
    """A short reason for ``failure``, e.g. ``timeout after 30s`` or ``dns lookup failed``."""
    exc = failure.value
    timeout = settings.getint("DOWNLOAD_TIMEOUT", 180) if settings else None
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "robots.txt" in message.lower():
            agent = settings.get("ROBOTSTXT_USER_AGENT") if settings else None
            return f"{ROBOTS_BLOCKED} (user-agent {agent or 'unsilo'})"
        if "max redirections" in message:
            return "redirect loop or too many redirects"
        return f"request ignored: {message}"
    # Scrapy ≥ 2.15 wraps Twisted's errors in its own (the reason for the lower bound).
    if isinstance(exc, net.DNSLookupError | scrapy_errors.CannotResolveHostError):
        return "dns lookup failed: host not found"
    if isinstance(
        exc, net.TimeoutError | net.TCPTimedOutError | scrapy_errors.DownloadTimeoutError
    ):
        return f"timeout after {timeout}s" if timeout else "timeout"
    if isinstance(exc, net.ConnectionRefusedError | scrapy_errors.DownloadConnectionRefusedError):
        return "connection refused"
    if isinstance(
        exc,
        net.ConnectionLost
        | ResponseFailed
        | ResponseNeverReceived
        | scrapy_errors.ResponseDataLossError
        | scrapy_errors.DownloadFailedError,
    ):
        return "connection lost before a complete response"
    if isinstance(exc, scrapy_errors.DownloadCancelledError):
        return "download cancelled (response over DOWNLOAD_MAXSIZE?)"
    text = failure.getErrorMessage()
    if "maxsize" in text.lower() or "max size" in text.lower() or "cancelled" in text.lower():
        return f"response too large or cancelled: {text[:200]}"
    return f"{type(exc).__name__}: {text[:200]}"
