"""Every platform adapter driven step by step over the saved samples, as the spider drives it.

Each test plays the driver: it takes the adapter's first requests, answers them with a saved
sample, and checks the ``Step`` that comes back (facts, posts, next requests and their
flags). The posts must equal the samples' expected outputs, so an adapter step reads a
sample exactly as its parse function does.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.social.conftest import FIXTURES, as_json
from unsilo.social import bluesky, mastodon, pinterest, tumblr, youtube
from unsilo.social.adapter import (
    RSS_NOTE,
    ProfileState,
    SocialRequest,
    SocialResponse,
    Step,
)
from unsilo.social.discovery import parse_profile_url
from unsilo.social.endpoints import PUBLIC, Endpoints
from unsilo.social.errors import MalformedResponse, plain_headers
from unsilo.social.registry import ADAPTERS, adapter_for, token_note

LOCAL = Endpoints.local("http://127.0.0.1:9")
Sample = Callable[[str], bytes]


def state_of(profile_url: str, room: int = 200, endpoints: Endpoints = LOCAL) -> ProfileState:
    ref = parse_profile_url(profile_url)
    assert ref is not None
    return ProfileState(ref, endpoints, "2026-08-20T09:00:00+00:00", room=room)


def answer(request: SocialRequest, body: bytes, headers: dict[str, str] | None = None):
    return SocialResponse(request, request.url, body, headers or {})


def spec(name: str) -> object:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))


def only(requests: list[SocialRequest]) -> SocialRequest:
    assert len(requests) == 1, requests
    return requests[0]


# --- the registry and the driver ------------------------------------------------------


def test_registry_names_each_adapter_by_its_platform() -> None:
    assert set(ADAPTERS) == {"bluesky", "mastodon", "youtube", "pinterest", "tumblr"}
    for platform, adapter in ADAPTERS.items():
        assert platform == adapter.PLATFORM
        assert callable(adapter.first_requests) and callable(adapter.parse)
    assert adapter_for("x") is None  # audited by its links only


def test_the_spider_names_no_platform() -> None:
    """The driver is generic: platform names live in the adapters and the registry."""
    source = (Path(__file__).parents[2] / "spiders" / "social.py").read_text("utf-8")
    strings = {
        node.value.lower()
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    names = set(ADAPTERS) | {"reddit", "instagram", "x"}
    assert not {s for s in strings if any(name in s.split() for name in names)}
    assert not [name for name in ADAPTERS if f"{name}." in source or f"_{name}" in source]


def test_token_notes_say_what_a_missing_token_costs(monkeypatch) -> None:
    monkeypatch.delenv("UNSILO_YOUTUBE_API_KEY", raising=False)
    assert token_note("youtube") == "subscribers and comments need UNSILO_YOUTUBE_API_KEY"
    monkeypatch.setenv("UNSILO_YOUTUBE_API_KEY", "secret")
    assert "is set, but" in (token_note("youtube") or "")
    assert token_note("mastodon") is None


# --- Bluesky --------------------------------------------------------------------------


def test_bluesky_profile_then_feed_pages(sample: Sample) -> None:
    state = state_of("https://bsky.app/profile/examplegoods.com", endpoints=PUBLIC)
    first = only(bluesky.first_requests(state))
    assert first.url == PUBLIC.bluesky_profile("examplegoods.com") and first.api
    step = bluesky.parse(answer(first, sample("bluesky-getProfile.json")), state)
    assert as_json(step.profile) == {
        **spec("bluesky-getProfile.json"),
        "fetched_at": state.fetched_at,
    }
    feed = only(step.next)
    assert feed.url == PUBLIC.bluesky_author_feed("examplegoods.com", None, 50)
    assert not feed.next_page  # the first page is asked for whatever the window says

    step = bluesky.parse(answer(feed, sample("bluesky-getAuthorFeed.json")), state)
    posts, links, cursor = spec("bluesky-getAuthorFeed.json")
    assert [as_json(step.posts), as_json(step.links)] == [posts, links]
    page = only(step.next)
    assert page.next_page and page.api
    assert page.url == PUBLIC.bluesky_author_feed("examplegoods.com", cursor, 50)


def test_bluesky_asks_no_more_than_the_cap_still_takes(sample: Sample) -> None:
    state = state_of("https://bsky.app/profile/examplegoods.com", room=5)
    request = SocialRequest(LOCAL.bluesky_author_feed("examplegoods.com"), "feed")
    step = bluesky.parse(answer(request, sample("bluesky-getAuthorFeed.json")), state)
    page = only(step.next).url
    assert page.startswith(LOCAL.bluesky_api) and "&limit=2&" in page  # 5 - 3 on this page
    state.room = 3
    assert bluesky.parse(answer(request, sample("bluesky-getAuthorFeed.json")), state).next == []


# --- Mastodon -------------------------------------------------------------------------


def test_mastodon_lookup_then_statuses_paged_by_link_header(sample: Sample) -> None:
    state = state_of("https://awoo.space/@noiob")
    first = only(mastodon.first_requests(state))
    assert first.url == LOCAL.mastodon_lookup("awoo.space", "noiob") and first.api
    step = mastodon.parse(answer(first, sample("mastodon-account.json")), state)
    assert as_json(step.profile) == {
        **spec("mastodon-account.json"),
        "fetched_at": state.fetched_at,
    }
    statuses = only(step.next)
    assert statuses.url == LOCAL.mastodon_statuses("awoo.space", "23634", limit=40)

    state.handle = "Gargron@mastodon.social"  # whose statuses the sample holds
    head = sample("mastodon-statuses.headers.txt").decode().splitlines()[1:]
    headers = plain_headers(dict(line.split(": ", 1) for line in head if ": " in line))
    step = mastodon.parse(answer(statuses, sample("mastodon-statuses.json"), headers), state)
    assert [as_json(step.posts), as_json(step.links)] == spec("mastodon-statuses.json")
    page = only(step.next)
    assert page.next_page and page.url.endswith("max_id=103270115826048975")
    assert mastodon.parse(answer(statuses, sample("mastodon-statuses.json")), state).next == []


def test_mastodon_account_without_id_keeps_its_facts_and_says_why(sample: Sample) -> None:
    state = state_of("https://awoo.space/@noiob")
    account = json.loads(sample("mastodon-account.json"))
    del account["id"]
    request = only(mastodon.first_requests(state))
    step = mastodon.parse(answer(request, json.dumps(account).encode()), state)
    assert step.profile is not None and step.profile.followers is not None
    assert step.next == [] and isinstance(step.error, MalformedResponse)


# --- YouTube --------------------------------------------------------------------------


def test_youtube_page_then_feed(sample: Sample) -> None:
    state = state_of("https://www.youtube.com/@examplegoods")
    page = only(youtube.first_requests(state))
    assert page.url == LOCAL.youtube_channel_page("examplegoods")
    step = youtube.parse(answer(page, sample("youtube-channel-page-snippet.html")), state)
    feed = only(step.next)
    want = spec("youtube-feed.xml")
    assert feed.url == LOCAL.youtube_feed(want["channel_id"]) and feed.outage_feed

    step = youtube.parse(answer(feed, sample("youtube-feed.xml")), state)
    assert [as_json(step.posts), as_json(step.links)] == [want["posts"], want["links"]]
    assert step.profile is not None and step.next == []
    assert (step.profile.display_name, step.profile.followers) == (want["title"], None)
    assert step.profile.status_reason == youtube.FEED_LIMIT_NOTE


def test_youtube_channel_id_goes_straight_to_the_feed() -> None:
    state = state_of("https://www.youtube.com/channel/UC7mJ4dWb2Qk9sXhT1pLrVeA")
    feed = only(youtube.first_requests(state))
    assert feed.url == LOCAL.youtube_feed("UC7mJ4dWb2Qk9sXhT1pLrVeA") and feed.outage_feed


def test_youtube_page_without_channel_id_is_malformed() -> None:
    state = state_of("https://www.youtube.com/@examplegoods")
    page = only(youtube.first_requests(state))
    with pytest.raises(MalformedResponse, match="no channel id"):
        youtube.parse(answer(page, b"<html><body>consent wall</body></html>"), state)


# --- Pinterest ------------------------------------------------------------------------


def pinterest_feed_step(sample: Sample, state: ProfileState) -> Step:
    feed = only(pinterest.first_requests(state))
    assert feed.url == LOCAL.pinterest_feed("examplegoods") and not feed.api
    return pinterest.parse(answer(feed, sample("pinterest-feed.rss")), state)


def test_pinterest_feed_then_best_effort_widget(sample: Sample) -> None:
    state = state_of("https://www.pinterest.com/examplegoods/")
    step = pinterest_feed_step(sample, state)
    assert [as_json(step.posts), as_json(step.links)] == spec("pinterest-feed.rss")
    assert step.profile is not None and step.profile.followers is None
    assert step.profile.status_reason == RSS_NOTE
    widget = only(step.next)
    assert widget.url == LOCAL.pinterest_user_pins("examplegoods")
    assert widget.best_effort == "follower count" and not widget.next_page

    step = pinterest.parse(answer(widget, sample("pinterest-pidgets-user-pins.json")), state)
    assert step.profile is not None and step.posts == [] and step.next == []
    assert (step.profile.followers, step.profile.posts_count) == (2318, 764)
    assert step.profile.status_reason == pinterest.WIDGET_NOTE


def test_pinterest_widget_without_follower_count_stays_unknown(sample: Sample) -> None:
    state = state_of("https://www.pinterest.com/examplegoods/")
    widget = only(pinterest_feed_step(sample, state).next)
    data = json.loads(sample("pinterest-pidgets-user-pins.json"))
    data["data"]["user"]["follower_count"] = "many"
    step = pinterest.parse(answer(widget, json.dumps(data).encode()), state)
    assert step.profile is not None and step.profile.followers is None  # never 0
    assert step.profile.status_reason == RSS_NOTE
    with pytest.raises(MalformedResponse):
        pinterest.parse(answer(widget, b'{"status": "failure", "data": null}'), state)


# --- Tumblr ---------------------------------------------------------------------------


def test_tumblr_feed_is_one_step(sample: Sample) -> None:
    state = state_of("https://examplegoods.tumblr.com/")
    feed = only(tumblr.first_requests(state))
    assert feed.url == LOCAL.tumblr_feed("examplegoods")
    step = tumblr.parse(answer(feed, sample("tumblr-rss.xml")), state)
    assert [as_json(step.posts), as_json(step.links)] == spec("tumblr-rss.xml")
    assert step.next == [] and step.profile is not None
    assert (step.profile.followers, step.profile.status_reason) == (None, RSS_NOTE)
