"""A shop's URL scope: dropped query parameters, include/exclude patterns, list settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from unsilo.urls import (
    UrlScope,
    _url_key,
    check_param_names,
    drop_query_params,
    setting_list,
    url_key,
    without_dropped_params,
)


@pytest.fixture(autouse=True)
def no_dropped_params() -> Iterator[None]:
    yield
    drop_query_params([])


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("https://s.example/a?sort=price&id=7", "https://s.example/a?id=7"),
        ("https://s.example/a?SORT=price&utm_source=x", "https://s.example/a"),
        ("https://s.example/a?filter_color=red&filter_size=4&q=x", "https://s.example/a?q=x"),
        ("https://s.example/sko/rød?sort=1", "https://s.example/sko/r%C3%B8d"),
        ("https://s.example/a?sorting=1", "https://s.example/a?sorting=1"),
    ],
)
def test_configured_parameters_leave_every_key(raw: str, key: str) -> None:
    drop_query_params(["sort", "filter_*"])
    assert url_key(raw) == key
    assert _url_key(raw, fast=False) == key  # the fast path and w3lib's agree


def test_an_empty_list_restores_tracking_parameters_alone() -> None:
    drop_query_params(["sort"])
    drop_query_params([])
    assert url_key("https://s.example/a?sort=1&utm_medium=x") == "https://s.example/a?sort=1"
    assert without_dropped_params("https://s.example/a?sort=1") == "https://s.example/a?sort=1"


def test_requests_lose_only_the_configured_parameters() -> None:
    drop_query_params(["sort"])
    assert (
        without_dropped_params("https://s.example/a?utm_source=x&sort=1&p=2#top")
        == "https://s.example/a?utm_source=x&p=2#top"
    )
    assert without_dropped_params("https://s.example/a?sort=1") == "https://s.example/a"


@pytest.mark.parametrize("bad", ["", "a b", "sort=1", "a&b", "#x"])
def test_bad_parameter_names_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a query parameter name"):
        check_param_names([bad])


def test_scope_follows_includes_minus_excludes() -> None:
    scope = UrlScope.of(include=["/shop/", r"/blog/\d+"], exclude=["/shop/cart"])
    assert scope.allows("https://s.example/shop/shoes")
    assert scope.allows("https://s.example/blog/2026")
    assert not scope.allows("https://s.example/blog/latest")
    assert not scope.allows("https://s.example/shop/cart")
    assert UrlScope().allows("https://s.example/anything")


@pytest.mark.parametrize(("bad", "why"), [("(x", "not a regular expression"), ("", "empty")])
def test_bad_patterns_say_why(bad: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        UrlScope.of(exclude=[bad])


@pytest.mark.parametrize(
    ("value", "expected"),
    [(["a", "b"], ["a", "b"]), ('["a,b", "c"]', ["a,b", "c"]), ("a{1,2}", ["a{1,2}"]), ("", [])],
)
def test_list_settings_come_as_lists_json_or_one_item(value: object, expected: list) -> None:
    assert setting_list(value) == expected


def test_a_broken_json_list_setting_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a JSON list"):
        setting_list('["a", ')
