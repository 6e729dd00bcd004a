"""URL identity: every join key in the database comes from ``url_key``."""

import pytest

from unsilo.urls import (
    http_url_key,
    is_http_url,
    registrable_domain,
    same_site,
    url_domain,
    url_key,
)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (
            "HTTPS://Shop.Example:443/Shoes/?utm_source=x&b=2&a=1#top",
            "https://shop.example/Shoes?a=1&b=2",
        ),
        ("http://shop.example:80", "http://shop.example/"),
        ("http://shop.example:8080/", "http://shop.example:8080/"),
        ("https://shop.example/a/b/", "https://shop.example/a/b"),
        ("https://shop.example/?fbclid=abc", "https://shop.example/"),
        ("https://shop.example/p?gclid=1&id=7&UTM_MEDIUM=social", "https://shop.example/p?id=7"),
        ("https://shop.example/p?q=a%20b", "https://shop.example/p?q=a+b"),
        ("https://shop.example/p?q=a+b", "https://shop.example/p?q=a+b"),
        ("https://shop.example/sko/rød", "https://shop.example/sko/r%C3%B8d"),
        ("https://SHOP.example./x", "https://shop.example/x"),
        ("  https://shop.example/x  ", "https://shop.example/x"),
    ],
)
def test_url_key_normalizes(raw: str, key: str) -> None:
    assert url_key(raw) == key


def test_http_and_https_stay_apart() -> None:
    assert url_key("http://shop.example/") != url_key("https://shop.example/")


def test_path_case_is_kept() -> None:
    assert url_key("https://shop.example/A") != url_key("https://shop.example/a")


@pytest.mark.parametrize("raw", ["mailto:a@b.example", "javascript:alert(1)", "not a url", ""])
def test_non_http_urls_are_kept_as_they_are(raw: str) -> None:
    assert url_key(raw) == raw.strip()


def test_url_key_is_idempotent() -> None:
    once = url_key("https://Shop.example/x/?b=1&a=2&utm_campaign=z#f")
    assert url_key(once) == once


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("www.shop.co.uk", "shop.co.uk"),
        ("blog.shop.example.com", "example.com"),
        ("127.0.0.1", "127.0.0.1"),
        # IP literals are their own site, www. and port aside (not "0.1" of www.127.0.0.1)
        ("www.127.0.0.1", "127.0.0.1"),
        ("www.127.0.0.1:8000", "127.0.0.1"),
        ("10.0.0.7:8080", "10.0.0.7"),
        ("::1", "::1"),
        ("[::1]:8000", "::1"),
        ("www.2001:db8::1", "2001:db8::1"),
        ("www.[2001:DB8::1]:443", "2001:db8::1"),
        ("localhost", "localhost"),
        ("SHOP.DK", "shop.dk"),
    ],
)
def test_registrable_domain(host: str, site: str) -> None:
    assert registrable_domain(host) == site


def test_www_shares_of_an_ip_hosted_shop_are_on_the_shop() -> None:
    assert url_domain("http://www.127.0.0.1:8000/p") == url_domain("http://127.0.0.1:8000/")
    assert same_site("http://www.127.0.0.1/p", "127.0.0.1")
    assert not same_site("http://127.0.0.2/p", "127.0.0.1")


def test_same_site_includes_subdomains_only_of_the_same_registrable_domain() -> None:
    assert same_site("https://www.shop.dk/a", "shop.dk")
    assert same_site("https://blog.shop.dk/a", "shop.dk")
    assert not same_site("https://shop.dk.evil.example/a", "shop.dk")
    assert not same_site("https://othershop.dk/", "shop.dk")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://shop.example", True),
        ("HTTP://shop.example/x", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("//shop.example/x", False),
        ("https://", False),
        ("http://[::1", False),
    ],
)
def test_is_http_url(url: str, ok: bool) -> None:
    assert is_http_url(url) is ok


def test_fast_path_agrees_with_w3lib_canonicalization() -> None:
    """The shortcut for plain URLs must give exactly what the full canonicalization gives."""
    from unsilo.demo.shop import DemoShop
    from unsilo.urls import _url_key

    shop_urls = [f"http://127.0.0.1:8000{p}" for p in DemoShop(pages=300, seed=3).paths()]
    tricky = [
        "https://shop.example/a b/?q=x y&a=1",
        "https://shop.example/%7Euser/?b=&a=",
        "https://shop.example/p?b=2&a=1&a=0",
        "https://shop.example/p?a",
        "https://shop.example/p;params?x=1",
        "https://shop.example/p+q/(x)!",
        "https://shöp.example/sko?farve=rød",
        "https://shop.example/../a/./b",
        "https://shop.example/p?q=%41%42",
        "https://shop.example/p?Q=1&q=2&_=3",
        "HTTP://SHOP.EXAMPLE:80/Index.HTML?B=1&a=2",
    ]
    for url in shop_urls + tricky:
        assert url_key(url) == _url_key(url, fast=False), url


@pytest.mark.parametrize(
    ("url", "key", "domain"),
    [
        ("HTTPS://Shop.Example:443/a/?utm_source=x#f", "https://shop.example/a", "shop.example"),
        (" http://www.shop.co.uk/p?b=1&a=2 ", "http://www.shop.co.uk/p?a=2&b=1", "shop.co.uk"),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x", "127.0.0.1"),
        ("/relative/path", None, None),
        ("mailto:shop@shop.example", None, None),
        ("javascript:void(0)", None, None),
        ("http://[::1", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_stored_keys_and_domains_are_none_together_for_what_is_no_http_url(
    url: str | None, key: str | None, domain: str | None
) -> None:
    assert http_url_key(url) == key
    assert url_domain(url) == domain


def test_the_sql_loose_key_macro_agrees_with_python() -> None:
    """Shares are matched in Python (per-URL answers) and in SQL (landing pages): one rule."""
    import duckdb

    from unsilo.pipeline.db import prepare_connection
    from unsilo.urls import loose_url_key, url_key

    con = duckdb.connect()
    prepare_connection(con)
    urls = [
        "https://shop.example/a",
        "http://www.Shop.example/a/?utm_source=x&b=1",
        "https://www.shop.example:443/",
        "https://wwwshop.example/x",
        "https://shop.example/www.x",
        "https://sub.www.shop.example/p",
    ]
    for url in urls:
        (sql,) = con.execute("select loose_key($k)", {"k": url_key(url)}).fetchone()
        assert sql == loose_url_key(url), url
