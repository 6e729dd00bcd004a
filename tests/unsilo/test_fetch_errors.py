"""Failed fetches become short, readable facts; robots blocks name *our* crawler."""

import pytest
from scrapy import exceptions as scrapy_errors
from scrapy.settings import Settings
from twisted.internet import error as net
from twisted.python.failure import Failure

from unsilo.fetch_errors import ROBOTS_BLOCKED, describe_failure


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (scrapy_errors.IgnoreRequest("Forbidden by robots.txt"), ROBOTS_BLOCKED),
        (scrapy_errors.IgnoreRequest("max redirections reached"), "redirect loop"),
        (net.DNSLookupError("shop.invalid"), "dns lookup failed"),
        (scrapy_errors.CannotResolveHostError("x"), "dns lookup failed"),
        (net.TimeoutError(), "timeout after 7s"),
        (scrapy_errors.DownloadTimeoutError("x"), "timeout after 7s"),
        (net.ConnectionRefusedError(), "connection refused"),
        (scrapy_errors.DownloadConnectionRefusedError("x"), "connection refused"),
        (net.ConnectionLost(), "connection lost"),
        (ValueError("odd"), "ValueError: odd"),
    ],
)
def test_describe_failure(exc: Exception, expected: str) -> None:
    settings = Settings({"DOWNLOAD_TIMEOUT": 7, "ROBOTSTXT_USER_AGENT": "unsilo"})
    assert describe_failure(Failure(exc), settings).startswith(expected)
