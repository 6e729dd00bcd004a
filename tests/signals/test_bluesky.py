"""Bluesky via Constellation: per-URL backlinks, hydrated by getPosts, threads for replies."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from unsilo.signals import bluesky
from unsilo.signals.source import SignalTarget
from unsilo.social.errors import MalformedResponse

from .conftest import answer

PAGE = "https://nordlysgoods.example/produkter/aurora-bordlampe"
MIRROR = "at://did:plc:mjyzs6u2lx74ghdb5w3bifpd/app.bsky.feed.post/3mtouev6vnk2l"


def page_check(url: str = PAGE) -> SignalTarget:
    return SignalTarget("url", url, url)


def _follow(ctx, sample, request, body_name):
    return bluesky.parse(answer(request, sample(body_name)), ctx)


def test_a_page_is_asked_in_the_spellings_people_link_it_with(ctx):
    requests = bluesky.url_requests(ctx, page_check())
    targets = [parse_qs(urlsplit(r.url).query)["target"][0] for r in requests]
    assert targets == [PAGE, PAGE.replace("://", "://www.")]
    assert all(r.headers["Accept"] == "application/json" for r in requests)
    home = bluesky.url_requests(ctx, page_check("https://nordlysgoods.example/"))
    assert len(home) == 4  # typed domains have no trailing slash
    assert bluesky.domain_requests(ctx, page_check()) == []


def test_paths_with_records_are_asked_facets_first_then_cards(ctx, sample):
    paths = bluesky.url_requests(ctx, page_check())[0]
    (backlinks,) = _follow(ctx, sample, paths, "constellation-links-all-url.json").next
    query = parse_qs(urlsplit(backlinks.url).query)
    assert query["subject"] == [PAGE]
    assert query["source"] == [
        "app.bsky.feed.post:facets[].features[app.bsky.richtext.facet#link].uri"
    ]
    step = _follow(ctx, sample, backlinks, "constellation-getBacklinks-url.json")
    hydrate, cards = step.next
    assert hydrate.step == "posts" and len(hydrate.carry) == 2
    assert parse_qs(urlsplit(cards.url).query)["source"] == [
        "app.bsky.feed.post:embed.external.uri"
    ]
    # the card path's records are the same posts: read once, not twice
    again = _follow(ctx, sample, cards, "constellation-getBacklinks-url.json")
    assert again.next == [] and again.signals == []


def test_a_page_nobody_linked_costs_one_call_per_spelling(ctx):
    paths = bluesky.url_requests(ctx, page_check())[0]
    assert bluesky.parse(answer(paths, b'{"links": {}}'), ctx).next == []


def test_getposts_fills_counts_and_a_thread_is_asked_only_for_replies(ctx, sample):
    paths = bluesky.url_requests(ctx, page_check())[0]
    backlinks = _follow(ctx, sample, paths, "constellation-links-all-url.json").next[0]
    hydrate = _follow(ctx, sample, backlinks, "constellation-getBacklinks-url.json").next[0]
    assert parse_qs(urlsplit(hydrate.url).query)["uris"] == [s.item_id for s in hydrate.carry]
    step = _follow(ctx, sample, hydrate, "bluesky-getPosts.json")
    (karsten,) = step.signals  # no replies: done
    assert karsten.author == "karstenlund.bsky.social" and karsten.points == 3
    assert (
        karsten.permalink == "https://bsky.app/profile/karstenlund.bsky.social/post/3mujw6lmgzc2l"
    )
    assert karsten.first_seen == "2026-09-02T12:18:40.257Z" and karsten.by_shop is False
    (thread,) = step.next
    assert thread.carry[0].item_id == MIRROR and thread.follow_up == "replies by others"
    assert parse_qs(urlsplit(thread.url).query)["depth"] == ["6"]
    (mette,) = _follow(ctx, sample, thread, "bluesky-getPostThread.json").signals
    # the shop's answer and Karsten's question are conversation; Mette's own answer is not
    assert mette.replies_by_others == 2 and mette.comments == 3
    assert (mette.points, mette.reposts, mette.quotes) == (41, 3, 1)
    assert mette.url_key == PAGE and mette.kind == "share"


def test_a_failed_follow_up_keeps_the_share_with_a_permalink(ctx, sample):
    paths = bluesky.url_requests(ctx, page_check())[0]
    backlinks = _follow(ctx, sample, paths, "constellation-links-all-url.json").next[0]
    hydrate = _follow(ctx, sample, backlinks, "constellation-getBacklinks-url.json").next[0]
    stub = hydrate.carry[1]
    assert hydrate.follow_up and stub.item_id == MIRROR
    assert (
        stub.permalink
        == "https://bsky.app/profile/did:plc:mjyzs6u2lx74ghdb5w3bifpd/post/3mtouev6vnk2l"
    )


def test_deleted_posts_are_dropped_and_own_handles_mark_the_shop(ctx, sample):
    own = replace(ctx, own_handles=frozenset({"bluesky:mette-hjemme.bsky.social"}))
    paths = bluesky.url_requests(own, page_check())[0]
    backlinks = _follow(own, sample, paths, "constellation-links-all-url.json").next[0]
    hydrate = _follow(own, sample, backlinks, "constellation-getBacklinks-url.json").next[0]
    posts = json.loads(sample("bluesky-getPosts.json"))
    posts["posts"] = posts["posts"][1:]  # Karsten's post was deleted
    step = bluesky.parse(answer(hydrate, json.dumps(posts).encode()), own)
    assert step.signals == [] and step.next[0].carry[0].by_shop is True


def test_backlink_pages_follow_the_cursor_and_are_cut_off(ctx):
    paths = bluesky.url_requests(ctx, page_check())[0]
    one_path = {"links": {"app.bsky.feed.post": {".embed.external.uri": {"records": 999}}}}
    request = bluesky.parse(answer(paths, json.dumps(one_path).encode()), ctx).next[0]
    for page in range(bluesky.MAX_PAGES):
        records = [{"did": "did:plc:x", "collection": "app.bsky.feed.post", "rkey": f"r{page}"}]
        body = json.dumps({"total": 999, "records": records, "cursor": f"c{page}"}).encode()
        step = bluesky.parse(answer(request, body), ctx)
        if page < bluesky.MAX_PAGES - 1:
            request = step.next[-1]
            assert parse_qs(urlsplit(request.url).query)["cursor"] == [f"c{page}"]
    assert [r.step for r in step.next] == ["posts"] and "cut off" in (step.partial or "")


@pytest.mark.parametrize(
    ("name", "body"),
    [("paths", b"[]"), ("paths", b"<html>"), ("backlinks", b'{"total": 1}')],
)
def test_unexpected_bodies_are_malformed(ctx, sample, name, body):
    paths = bluesky.url_requests(ctx, page_check())[0]
    request = paths
    if name == "backlinks":
        request = _follow(ctx, sample, paths, "constellation-links-all-url.json").next[0]
    with pytest.raises(MalformedResponse):
        bluesky.parse(answer(request, body), ctx)


def test_bad_follow_up_bodies_are_malformed(ctx, sample):
    paths = bluesky.url_requests(ctx, page_check())[0]
    backlinks = _follow(ctx, sample, paths, "constellation-links-all-url.json").next[0]
    hydrate = _follow(ctx, sample, backlinks, "constellation-getBacklinks-url.json").next[0]
    with pytest.raises(MalformedResponse):
        bluesky.parse(answer(hydrate, b'{"feed": []}'), ctx)
    thread = _follow(ctx, sample, hydrate, "bluesky-getPosts.json").next[0]
    with pytest.raises(MalformedResponse):
        bluesky.parse(answer(thread, b'{"thread": {"$type": "x#notFoundPost"}}'), ctx)
