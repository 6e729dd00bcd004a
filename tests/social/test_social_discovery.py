"""Profile discovery: discovered and configured profiles merged, config wins, exclusions;
list arguments (JSON or ``@file``); short-link rules; endpoint configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from unsilo.social.discovery import ProfileRef, json_list, merge_profiles
from unsilo.social.endpoints import endpoints_from_config
from unsilo.social.resolve import is_short_link, needs_resolving, next_hop


def test_merge_one_row_per_profile_config_wins() -> None:
    found = [
        ProfileRef("bluesky", "shop.example", "https://bsky.app/profile/shop.example", ["sameAs"]),
        ProfileRef("bluesky", "Shop.Example", "https://bsky.app/profile/Shop.Example", ["link"]),
        ProfileRef("instagram", "shop", "https://www.instagram.com/shop/", ["link"]),
    ]
    configured = ["https://bsky.app/profile/shop.example?ref=cfg", "https://toot.example/@Shop"]
    merged = merge_profiles(found, configured, ["https://www.instagram.com/shop"])
    assert [(r.platform, r.handle, r.found_in) for r in merged] == [
        ("bluesky", "shop.example", ["sameAs", "link", "config"]),
        ("mastodon", "shop@toot.example", ["config"]),
    ]
    assert merged[0].profile_url.endswith("?ref=cfg")


def test_exclude_by_platform_and_handle() -> None:
    found = [ProfileRef("x", "shop", "https://x.com/shop", ["link"])]
    assert merge_profiles(found, [], ["x:Shop"]) == []


def test_bad_configured_url_raises() -> None:
    with pytest.raises(ValueError, match="not a social profile URL"):
        merge_profiles([], ["https://shop.example/about"], [])


def test_json_list_arguments() -> None:
    assert json_list('["a", "b"]', "profiles") == ["a", "b"]
    assert json_list("https://x.com/a", "profiles") == ["https://x.com/a"]
    with pytest.raises(ValueError, match="-a exclude"):
        json_list("[1]", "exclude")


def test_json_list_from_a_file(tmp_path: Path) -> None:
    listed = tmp_path / "profiles.json"
    listed.write_text('["https://bsky.app/profile/shop.example"]', encoding="utf-8")
    assert json_list(f"@{listed}", "profiles") == ["https://bsky.app/profile/shop.example"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"-a profiles=@.*missing\.json: cannot read the file \(No such file"),
        ("[not json", r"-a profiles=@.*bad\.json must hold a JSON list of strings: "),
        ('{"bluesky": "x"}', r"-a profiles must be a JSON list of strings, got '@"),
    ],
)
def test_json_list_file_errors_say_which_file(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / ("missing.json" if content is None else "bad.json")
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as caught:
        json_list(f"@{path}", "profiles")
    assert "\n" not in str(caught.value)


def test_short_link_rules() -> None:
    assert is_short_link("https://bit.ly/abc") and is_short_link("http://t.co/x")
    assert not is_short_link("https://shop.example/bit.ly")
    assert is_short_link("http://127.0.0.1:8080/s", ["127.0.0.1:8080"])
    assert needs_resolving("https://www.shop.example/old", "shop.example")
    assert not needs_resolving("https://other.example/", "shop.example")
    headers = {b"Location": [b"/new"]}
    assert next_hop("https://bit.ly/a", 301, headers) == "https://bit.ly/new"
    assert next_hop("https://bit.ly/a", 200, headers) is None
    assert next_hop("https://bit.ly/a", 302, {"Location": "javascript:alert(1)"}) is None


def test_endpoints_from_config() -> None:
    endpoints = endpoints_from_config(
        {
            "bluesky": "http://127.0.0.1:1/",
            "mastodon": {"*": "http://127.0.0.1:2", "a.b": "http://127.0.0.1:3"},
        }
    )
    assert endpoints.bluesky_api == "http://127.0.0.1:1"
    assert endpoints.mastodon == "http://127.0.0.1:2"
    assert endpoints.mastodon_base("a.b") == "http://127.0.0.1:3"
    assert endpoints.mastodon_base("c.d") == "http://127.0.0.1:2"
    assert endpoints.youtube == "https://www.youtube.com"
    with pytest.raises(ValueError, match="unknown endpoints"):
        endpoints_from_config({"myspace": "http://x"})
