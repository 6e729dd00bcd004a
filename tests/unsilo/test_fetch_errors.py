"""Failed fetches become a typed kind and a short, readable fact; robots blocks name *our* crawler.

The exceptions are the ones Scrapy and Twisted really raise (Scrapy ≥ 2.14 wraps Twisted's
in its own, with the original as ``__cause__``), so a renamed class shows up here first.
"""

import ssl

import pytest
from OpenSSL import SSL
from scrapy import exceptions as scrapy_errors
from scrapy.settings import Settings
from twisted.internet import defer
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from unsilo.fetch_errors import ERROR_KINDS, ROBOTS_BLOCKED, describe_failure


def _failure_of(exc: BaseException) -> Failure:
    """A Failure with a traceback, the way an errback receives it."""
    try:
        raise exc
    except BaseException:
        return Failure()


def _openssl_handshake_failure() -> Failure:
    return _failure_of(SSL.Error([("SSL routines", "", "certificate verify failed")]))


def _wrapped(outer: BaseException, inner: BaseException) -> BaseException:
    """``outer`` raised ``from inner``, as Scrapy's ``wrap_twisted_exceptions`` does."""
    try:
        try:
            raise inner
        except BaseException as original:
            raise outer from original
    except BaseException as wrapped:
        return wrapped


@pytest.mark.parametrize(
    ("exc", "kind", "message"),
    [
        (scrapy_errors.IgnoreRequest("Forbidden by robots.txt"), "robots", ROBOTS_BLOCKED),
        (scrapy_errors.IgnoreRequest("max redirections reached"), "bad-redirect", "redirect loop"),
        (scrapy_errors.IgnoreRequest("offsite"), "other", "request ignored: offsite"),
        (net.DNSLookupError("shop.invalid"), "dns", "dns lookup failed"),
        (scrapy_errors.CannotResolveHostError("x"), "dns", "dns lookup failed"),
        (net.TimeoutError(), "timeout", "timeout after 7s"),
        (net.TCPTimedOutError(), "timeout", "timeout after 7s"),
        (scrapy_errors.DownloadTimeoutError("x"), "timeout", "timeout after 7s"),
        (net.ConnectionRefusedError(), "refused", "connection refused"),
        (scrapy_errors.DownloadConnectionRefusedError("x"), "refused", "connection refused"),
        (ResponseNeverReceived([_openssl_handshake_failure()]), "tls", "tls handshake failed"),
        (
            _wrapped(
                scrapy_errors.DownloadFailedError("x"),
                ResponseFailed([_openssl_handshake_failure()]),
            ),
            "tls",
            "tls handshake failed: certificate verify failed",
        ),
        (ssl.SSLCertVerificationError(1, "certificate verify failed"), "tls", "tls handshake"),
        (net.ConnectionLost(), "other", "connection lost"),
        (ResponseNeverReceived([_failure_of(net.ConnectionLost())]), "other", "connection lost"),
        (scrapy_errors.DownloadCancelledError("over maxsize"), "too-large", "download cancelled"),
        (
            defer.CancelledError("Cancelling download of x: expected size (9) larger than maxsize"),
            "too-large",
            "response too large",
        ),
        (ValueError("odd"), "other", "ValueError: odd"),
    ],
)
def test_describe_failure(exc: BaseException, kind: str, message: str) -> None:
    settings = Settings({"DOWNLOAD_TIMEOUT": 7, "ROBOTSTXT_USER_AGENT": "unsilo"})
    failed = describe_failure(Failure(exc), settings)
    assert failed.kind == kind
    assert failed.kind in ERROR_KINDS
    assert failed.message.startswith(message)
