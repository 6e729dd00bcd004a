"""URLs in plain post text, and the clean-up of hostile counts and strings."""

from __future__ import annotations

import pytest

from unsilo.social.text import as_int, as_str, link_rows, urls_in_text


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("Shop: examplegoods.com", ["https://examplegoods.com"]),
        ("see https://a.example/p?q=1).", ["https://a.example/p?q=1"]),
        ("mail hallo@examplegoods.com", []),
        ("examplegoods.com/products/nordse…", []),  # truncated by the app: incomplete
        ("Leipzig.Handgedreht und 1.5kg", []),  # no public suffix: prose, not a host
        ("http://shop.dk/a http://shop.dk/a", ["http://shop.dk/a"]),
        ("„examplegoods.de/becher“", ["https://examplegoods.de/becher"]),
        ("javascript:alert(1) ftp://x.example/f", []),
        (None, []),
    ],
)
def test_urls_in_text(text, urls) -> None:
    assert urls_in_text(text) == urls


def test_urls_in_text_is_bounded() -> None:
    text = " ".join(f"https://s{i}.example/" for i in range(500))
    assert len(urls_in_text(text)) == 50


def test_link_rows_dedupe_and_key() -> None:
    rows = link_rows(
        "bluesky",
        "p1",
        [
            ("https://Shop.example/p?utm_source=x", "facet"),
            ("https://Shop.example/p?utm_source=x", "facet"),
            ("https://Shop.example/p?utm_source=x", "embed"),
            ("data:text/html,hi", "embed"),
            ("", "card"),
        ],
    )
    assert [(r.source, r.url_key) for r in rows] == [
        ("facet", "https://shop.example/p"),
        ("embed", "https://shop.example/p"),
    ]
    assert rows[0].url == "https://Shop.example/p?utm_source=x"  # raw kept


@pytest.mark.parametrize(
    ("value", "count"), [(3, 3), ("12", 12), (-1, None), (True, None), ("1e9", None), (None, None)]
)
def test_as_int(value, count) -> None:
    assert as_int(value) == count


def test_as_str() -> None:
    assert as_str("x") == "x"
    assert as_str("") is None
    assert as_str(["x"]) is None
