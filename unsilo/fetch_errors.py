"""Turn a failed fetch into a typed kind and a one-line fact for the ``pages`` table.

The kind (``pages.error_kind``) is what models test; the message (``pages.error``) is what
the report quotes. Both are decided here, side by side, so they never disagree: SQL asks
``error_kind = 'robots'`` and never reads the wording. A robots block names *unsilo's*
crawler, because it says nothing about search engines.
"""

from __future__ import annotations

import ssl
from typing import NamedTuple

from OpenSSL import SSL
from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import BaseSettings
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

ROBOTS_BLOCKED = "robots.txt disallows unsilo's crawler"
ERROR_KINDS = ("robots", "dns", "refused", "timeout", "tls", "too-large", "bad-redirect", "other")
"""Every ``pages.error_kind``; NULL means the fetch did not fail."""


class FetchFailure(NamedTuple):
    """Why a fetch failed: ``kind`` (one of ``ERROR_KINDS``) for models, ``message`` for people."""

    kind: str
    message: str


def describe_failure(failure: Failure, settings: BaseSettings | None = None) -> FetchFailure:
    """The kind and a short reason for ``failure``, e.g. ``("timeout", "timeout after 30s")``."""
    exc = failure.value
    timeout = settings.getint("DOWNLOAD_TIMEOUT", 180) if settings else None
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "robots.txt" in message.lower():
            agent = settings.get("ROBOTSTXT_USER_AGENT") if settings else None
            return FetchFailure("robots", f"{ROBOTS_BLOCKED} (user-agent {agent or 'unsilo'})")
        if "max redirections" in message:
            return FetchFailure("bad-redirect", "redirect loop or too many redirects")
        return FetchFailure("other", f"request ignored: {message}")
    # Scrapy ≥ 2.15 wraps Twisted's errors in its own (the reason for the lower bound).
    if isinstance(exc, net.DNSLookupError | scrapy_errors.CannotResolveHostError):
        return FetchFailure("dns", "dns lookup failed: host not found")
    if isinstance(
        exc, net.TimeoutError | net.TCPTimedOutError | scrapy_errors.DownloadTimeoutError
    ):
        return FetchFailure("timeout", f"timeout after {timeout}s" if timeout else "timeout")
    if isinstance(exc, net.ConnectionRefusedError | scrapy_errors.DownloadConnectionRefusedError):
        return FetchFailure("refused", "connection refused")
    tls_error = _tls_error(exc)
    if tls_error is not None:
        return FetchFailure("tls", f"tls handshake failed: {tls_error[:200]}")
    if isinstance(
        exc,
        net.ConnectionLost
        | ResponseFailed
        | ResponseNeverReceived
        | scrapy_errors.ResponseDataLossError
        | scrapy_errors.DownloadFailedError,
    ):
        return FetchFailure("other", "connection lost before a complete response")
    if isinstance(exc, scrapy_errors.DownloadCancelledError):
        return FetchFailure("too-large", "download cancelled (response over DOWNLOAD_MAXSIZE?)")
    text = failure.getErrorMessage()
    if "maxsize" in text.lower() or "max size" in text.lower() or "cancelled" in text.lower():
        return FetchFailure("too-large", f"response too large or cancelled: {text[:200]}")
    return FetchFailure("other", f"{type(exc).__name__}: {text[:200]}")


def _tls_error(exc: BaseException) -> str | None:
    """The TLS error behind ``exc``, if any, as text.

    Twisted reports a failed handshake as ``ResponseNeverReceived``/``ResponseFailed`` whose
    ``reasons`` hold the ``OpenSSL.SSL.Error``; Scrapy wraps that in ``DownloadFailedError``
    (the original as ``__cause__``); asyncio-based handlers raise ``ssl.SSLError`` directly.
    """
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, SSL.Error | ssl.SSLError | net.SSLError):
            return _ssl_reason(current)
        if isinstance(current, ResponseFailed):
            pending.extend(r.value for r in current.reasons if isinstance(r, Failure))
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return None


def _ssl_reason(exc: BaseException) -> str:
    """OpenSSL's reasons (``certificate verify failed``) rather than its tuple soup."""
    args = exc.args[0] if exc.args else None
    if isinstance(args, list) and all(isinstance(a, tuple) and a for a in args) and args:
        return "; ".join(str(a[-1]) for a in args)
    return str(exc) or type(exc).__name__
