"""YouTube adapter: channel-id discovery from the channel page, and the channel feed."""

from __future__ import annotations

import pytest

from unsilo.social.errors import MalformedResponse
from unsilo.social.youtube import (
    FEED_LIMIT,
    channel_id_from_page,
    normalize_channel_id,
    videos_from_feed,
)

CID = "UC7mJ4dWb2Qk9sXhT1pLrVeA"


def test_feed_matches_expected(sample, expected) -> None:
    expected("youtube-feed.xml", videos_from_feed(sample("youtube-feed.xml"), "examplegoods"))


def test_channel_id_from_sample_page(sample) -> None:
    assert channel_id_from_page(sample("youtube-channel-page-snippet.html")) == CID


@pytest.mark.parametrize(
    "html",
    [
        f'<link rel="canonical" href="https://www.youtube.com/channel/{CID}">',
        f'<script>var ytInitialData = {{"externalId":"{CID}"}};</script>',
        f'<meta itemprop="identifier" content="{CID}">',
        f'<meta itemprop="channelId" content="{CID}">',
        f'<link rel="alternate" type="application/rss+xml" '
        f'href="https://www.youtube.com/feeds/videos.xml?channel_id={CID}">',
    ],
)
def test_each_channel_id_source_alone_is_enough(html) -> None:
    assert channel_id_from_page(f"<html><head>{html}</head></html>") == CID


def test_channel_page_without_id() -> None:
    html = '<link rel="canonical" href="https://www.youtube.com/@x"><meta itemprop="identifier" '
    html += 'content="UCshort">'
    assert channel_id_from_page(html) is None


def test_feed_level_channel_id_lacks_uc_prefix(sample) -> None:
    body = sample("youtube-feed.xml")
    assert b"<yt:channelId>7mJ4dWb2Qk9sXhT1pLrVeA</yt:channelId>" in body  # the sample's quirk
    assert videos_from_feed(body, "examplegoods").channel_id == CID
    assert normalize_channel_id("yt:channel:7mJ4dWb2Qk9sXhT1pLrVeA") == CID
    assert normalize_channel_id(CID) == CID
    assert normalize_channel_id("not an id") is None


def test_entry_level_channel_id_fills_in(sample) -> None:
    body = sample("youtube-feed.xml").replace(b"<yt:channelId>7mJ4dWb2Qk9sXhT1pLrVeA<", b"<x><")
    body = body.replace(b"</yt:channelId>\n <title>Example", b"</x>\n <title>Example")
    feed = videos_from_feed(body)
    assert feed.channel_id == CID
    assert {p.handle for p in feed.posts} == {CID}  # no handle given: filed under the id


def test_views_ratings_and_description_links(sample) -> None:
    feed = videos_from_feed(sample("youtube-feed.xml"), "examplegoods")
    assert [p.post_id for p in feed.posts] == ["a7KfZ0wQe1U", "Hq3vT8nWkz0", "pL9xR2sYd4M"]
    assert [(p.views, p.rating_count) for p in feed.posts] == [(2391, 88), (10458, 312), (0, 0)]
    assert feed.posts[0].url == "https://www.youtube.com/shorts/a7KfZ0wQe1U"
    assert feed.posts[1].links[0] == "https://examplegoods.com/collections/becher"
    assert {r.source for r in feed.links} == {"description"}
    assert feed.posts[2].links == []
    assert "15" in feed.feed_limit_note and FEED_LIMIT == 15


@pytest.mark.parametrize(
    "body",
    [
        b"<feed><entry>",
        b"<html><body>Not Found</body></html>",
        b"",
    ],
)
def test_broken_feed_is_malformed(body) -> None:
    with pytest.raises(MalformedResponse):
        videos_from_feed(body, "examplegoods")


def test_entities_are_not_expanded() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>'
    )
    feed = videos_from_feed(xxe, "examplegoods")
    assert "root:" not in (feed.title or "")
