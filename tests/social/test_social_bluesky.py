"""Bluesky adapter over the getProfile / getAuthorFeed samples and hand-made edge cases."""

from __future__ import annotations

import copy
import json

import pytest

from unsilo.social.bluesky import facet_text, posts_from_author_feed, profile_from_json
from unsilo.social.endpoints import Endpoints
from unsilo.social.errors import MalformedResponse


@pytest.fixture
def feed(sample) -> dict:
    return json.loads(sample("bluesky-getAuthorFeed.json"))


def test_author_feed_matches_expected(sample, expected) -> None:
    output = posts_from_author_feed(sample("bluesky-getAuthorFeed.json"), "examplegoods.com")
    expected("bluesky-getAuthorFeed.json", output)


def test_profile_matches_expected(sample, expected) -> None:
    expected("bluesky-getProfile.json", profile_from_json(sample("bluesky-getProfile.json")))


def test_kinds_repost_reply_and_post(feed) -> None:
    posts, _, cursor = posts_from_author_feed(feed, "examplegoods.com")
    assert [p.kind for p in posts] == ["post", "reply", "repost"]
    assert [p.is_reply_to_other for p in posts] == [False, True, False]
    assert cursor == "2026-08-16T14:05:51.73Z"
    repost = posts[2]
    assert repost.post_id.endswith("app.bsky.feed.repost/3la5mdjlvogrv")  # the shop's act
    assert repost.created_at == "2026-08-16T14:05:51.730Z"  # when the shop reposted
    assert repost.url == "https://bsky.app/profile/ceramicsfan.bsky.social/post/3lc3i734crasw"


def test_reply_to_own_post_is_self_thread(feed) -> None:
    entry = feed["feed"][1]
    own = "at://did:plc:ujzdegxdncf32epf3dhodzdo/app.bsky.feed.post/3lc3dxdyqdc32"
    entry["post"]["record"]["reply"]["parent"]["uri"] = own
    entry.pop("reply")  # hydrated view may be missing; the record's ref must suffice
    posts, _, _ = posts_from_author_feed({"feed": [entry]}, "examplegoods.com")
    assert posts[0].kind == "self-thread"
    assert posts[0].is_reply_to_other is False


def test_truncated_link_text_keeps_full_href(feed) -> None:
    posts, links, _ = posts_from_author_feed(feed, "examplegoods.com")
    record = feed["feed"][0]["post"]["record"]
    shown = facet_text(record["text"], 67, 102)
    assert shown == "examplegoods.com/products/nordse…"
    full = "https://examplegoods.com/products/nordsee-mug?utm_source=bluesky"
    assert posts[0].links == [full]
    facet_rows = [r for r in links if r.post_id == posts[0].post_id and r.source == "facet"]
    assert [r.url for r in facet_rows] == [full]
    assert facet_rows[0].url_key == "https://examplegoods.com/products/nordsee-mug"


def test_facet_offsets_are_utf8_bytes_not_characters() -> None:
    text = "Grüße 🌊 über Öl: shop.example/ø"
    start = len("Grüße 🌊 über Öl: ".encode())
    end = len(text.encode())
    assert facet_text(text, start, end) == "shop.example/ø"
    assert text[start:end] != "shop.example/ø"  # slicing the str would be wrong
    assert facet_text(text, end, start) is None
    assert facet_text(text, 0, end + 1) is None
    assert facet_text(text, "0", 3) is None


def test_embed_links_from_external_and_record_with_media(feed) -> None:
    post = copy.deepcopy(feed["feed"][2]["post"])
    post["record"]["facets"] = []
    post["embed"] = {
        "$type": "app.bsky.embed.recordWithMedia#view",
        "record": {"record": {"uri": "at://did:plc:x/app.bsky.feed.post/1"}},
        "media": {
            "$type": "app.bsky.embed.external#view",
            "external": {"uri": "https://examplegoods.com/collections/becher", "title": "B"},
        },
    }
    posts, links, _ = posts_from_author_feed({"feed": [{"post": post}]}, "examplegoods.com")
    assert posts[0].kind == "quote"
    assert [(r.url, r.source) for r in links] == [
        ("https://examplegoods.com/collections/becher", "embed")
    ]


def test_counts_and_sources(feed) -> None:
    posts, links, _ = posts_from_author_feed(feed, "examplegoods.com")
    first = posts[0]
    assert (first.likes, first.reposts, first.replies, first.quotes) == (57, 11, 4, 2)
    assert sorted(r.source for r in links if r.post_id == first.post_id) == ["embed", "facet"]


def test_hostile_links_and_counts_are_dropped(feed) -> None:
    post = feed["feed"][0]["post"]
    post["record"]["facets"][0]["features"][0]["uri"] = "javascript:alert(1)"
    post["record"].pop("embed")
    post.pop("embed")
    post["likeCount"] = "lots"
    posts, links, _ = posts_from_author_feed({"feed": [{"post": post}]}, "examplegoods.com")
    assert links == []
    assert posts[0].likes is None  # unknown, never zero


def test_profile_links_and_domain_verification(sample) -> None:
    profile = profile_from_json(sample("bluesky-getProfile.json"))
    assert profile.links_in_bio == ["https://examplegoods.com"]  # not the e-mail address
    assert profile.verified_links == ["https://examplegoods.com"]
    assert (profile.followers, profile.following, profile.posts_count) == (1243, 187, 412)
    custodial = profile_from_json({"handle": "mira-k.bsky.social"})
    assert custodial.verified_links == []
    assert custodial.followers is None


def test_endpoints_shape_profile_url(sample) -> None:
    local = Endpoints.local("http://127.0.0.1:9")
    profile = profile_from_json(sample("bluesky-getProfile.json"), endpoints=local)
    assert profile.profile_url == "http://127.0.0.1:9/profile/examplegoods.com"


@pytest.mark.parametrize("body", [b"{", b"[]", b'{"feed": 3}', '{"cursor": "x"}'])
def test_malformed_feed_raises(body) -> None:
    with pytest.raises(MalformedResponse):
        posts_from_author_feed(body, "examplegoods.com")


def test_profile_without_handle_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        profile_from_json(b'{"did": "did:plc:x"}')
