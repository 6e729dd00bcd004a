"""Robots directives: meta robots/googlebot and X-Robots-Tag, as Googlebot reads them."""

from __future__ import annotations

import pytest

from unsilo.extract import extract_page
from unsilo.extract.robots import extract_robots, header_directives, split_directives


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("noindex", [(None, "noindex")]),
        ("NOINDEX, NoFollow", [(None, "noindex"), (None, "nofollow")]),
        ("otherbot: noindex", [("otherbot", "noindex")]),
        ("googlebot: noindex, nofollow", [("googlebot", "noindex"), ("googlebot", "nofollow")]),
        ("GoogleBot-News: nosnippet", [("googlebot-news", "nosnippet")]),
        ("max-snippet: 20, noarchive", [(None, "max-snippet: 20"), (None, "noarchive")]),
        (
            "unavailable_after: Sunday, 01-Sep-30 15:00:00 GMT",
            [(None, "unavailable_after: sunday, 01-sep-30 15:00:00 gmt")],
        ),
        (
            "bingbot: noindex, googlebot: nofollow",
            [("bingbot", "noindex"), ("googlebot", "nofollow")],
        ),
        ("", []),
    ],
)
def test_header_directives(value: str, expected: list[tuple[str | None, str]]) -> None:
    assert header_directives(value) == expected


def test_split_directives_lowercases_and_drops_empties() -> None:
    assert split_directives(" NOINDEX ,, Follow ") == ["noindex", "follow"]


@pytest.mark.parametrize(
    ("headers", "noindex", "nofollow", "directives"),
    [
        (["otherbot: noindex"], False, False, []),
        (["googlebot: noindex"], True, False, ["noindex"]),
        (["noindex", "nofollow"], True, True, ["noindex", "nofollow"]),
        (["none"], True, True, ["none"]),
        (["noindex", "NOINDEX"], True, False, ["noindex"]),
        (["max-image-preview:large"], False, False, ["max-image-preview:large"]),
    ],
)
def test_header_values_decide_indexing(
    headers: list[str], noindex: bool, nofollow: bool, directives: list[str]
) -> None:
    facts = extract_robots(None, headers)
    assert (facts.noindex, facts.nofollow, facts.directives) == (noindex, nofollow, directives)
    assert facts.x_robots_tag == headers


@pytest.mark.parametrize(
    ("meta", "noindex", "nofollow"),
    [
        ('<meta name="robots" content="noindex">', True, False),
        ('<META NAME="ROBOTS" CONTENT="NONE">', True, True),
        ('<meta name="googlebot" content="nofollow">', False, True),
        ('<meta name="bingbot" content="noindex">', False, False),
        ('<meta name="robots" content="index, follow">', False, False),
    ],
)
def test_meta_robots(html_response, meta: str, noindex: bool, nofollow: bool) -> None:
    page = extract_page(html_response(f"<html><head>{meta}</head></html>"), site="x").page
    assert (page.noindex, page.nofollow) == (noindex, nofollow)
