"""The shared Jinja environment: escaping on for everything, strict names, the filters."""

from __future__ import annotations

from datetime import datetime

import pytest
from jinja2 import StrictUndefined

from unsilo.reports.environment import environment, humanize, num, pct, safe_href, signed, when


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://shop.example/a?b=1", "https://shop.example/a?b=1"),
        ("  http://shop.example/  ", "http://shop.example/"),
        ("HTTPS://Shop.example/", "HTTPS://Shop.example/"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("//shop.example/a", None),
        ("/relative", None),
        ("https://", None),
        ("java\nscript:alert(1)", None),
        ("https://shop.example/\x00", None),
        (None, None),
        (42, None),
    ],
)
def test_safe_href_links_only_http_urls(url: object, expected: str | None) -> None:
    assert safe_href(url) == expected


def test_number_filters() -> None:
    assert [pct(0.4167), pct(1), pct(None), pct(0.12345, 1)] == ["42%", "100%", "–", "12.3%"]
    assert [num(12345), num(2.0), num(38.25), num(None)] == ["12,345", "2", "38.2", "–"]
    assert [signed(3), signed(-2), signed(0), signed(None)] == ["+3", "−2", "±0", "–"]
    assert when(datetime(2026, 1, 2, 3, 4)) == "2026-01-02 03:04 UTC"
    assert humanize("title_too_long") == "Title too long"


def test_environment_escapes_everything_and_is_strict() -> None:
    env = environment()
    assert env.undefined is StrictUndefined
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
    assert env.autoescape is True  # every template name, not only *.html
    for name in ("safe_href", "pct", "num", "signed", "when", "humanize"):
        assert name in env.filters
