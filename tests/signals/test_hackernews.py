"""Hacker News: one Algolia listing by domain, then current counts per story from Firebase."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from unsilo.signals import hackernews
from unsilo.signals.source import SignalContext
from unsilo.social.errors import MalformedResponse

from .conftest import answer, domain_check


def _query(request) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.url).query)


def _hit(story_id: int, url: str, stamp: int) -> dict:
    return {"objectID": str(story_id), "url": url, "created_at_i": stamp, "points": 1}


def _page(hits: list[dict], total: int | None = None) -> bytes:
    return json.dumps({"hits": hits, "nbHits": len(hits) if total is None else total}).encode()


def test_the_listing_asks_story_urls_of_the_domain_without_typos(ctx):
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    assert urlsplit(request.url).path == "/api/v1/search_by_date"
    query = _query(request)
    assert query["query"] == ["nordlysgoods.example"]
    assert query["restrictSearchableAttributes"] == ["url"] and query["tags"] == ["story"]
    assert query["typoTolerance"] == ["false"] and "numericFilters" not in query
    assert hackernews.url_requests(ctx, domain_check(ctx)) == []


def test_prefix_match_false_positive_is_dropped_and_utm_ignored(ctx, sample):
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    step = hackernews.parse(answer(request, sample("hn-algolia-search-url.json")), ctx)
    assert step.signals == []  # shares travel as carry until Firebase has answered
    assert step.partial is None
    # both hits are on the shop's domain: the domain listing keeps both, each its own key
    keys = [r.carry[0].url_key for r in step.next]
    assert keys == [
        "https://nordlysgoods.example/produkter/fjord-keramikkrus",
        "https://nordlysgoods.example/produkter/fjord-keramikkrus-saet",
    ]
    first = step.next[0]
    assert first.url.endswith("/v0/item/49384117.json") and first.follow_up
    story = first.carry[0]
    assert story.points == 87 and story.comments == 23  # Algolia's lagging copy
    assert story.first_seen == "2026-08-25T14:03:19+00:00"
    assert story.permalink == "https://news.ycombinator.com/item?id=49384117"


def test_stories_of_other_sites_matching_the_words_are_dropped(ctx):
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    hits = [
        _hit(1, "https://nordlysgoods.example-fake.com/x", 100),
        _hit(2, "https://archive.example/nordlysgoods.example/x", 99),
        _hit(3, "https://blog.nordlysgoods.example/post", 98),
    ]
    step = hackernews.parse(answer(request, _page(hits)), ctx)
    assert [r.carry[0].item_id for r in step.next] == ["3"]


def test_firebase_brings_counts_up_to_date(ctx, sample):
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    listing = hackernews.parse(answer(request, sample("hn-algolia-search-url.json")), ctx)
    item = listing.next[0]
    (story,) = hackernews.parse(answer(item, sample("hn-firebase-item.json")), ctx).signals
    assert story.points == 91 and story.comments == 23 and story.replies_by_others == 23
    assert story.note is None and story.source == "hackernews"
    assert story.target == "nordlysgoods.example"


def test_deleted_dead_and_unknown_items(ctx, sample):
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    item = hackernews.parse(answer(request, sample("hn-algolia-search-url.json")), ctx).next[0]
    assert hackernews.parse(answer(item, b'{"id": 49384117, "deleted": true}'), ctx).signals == []
    (dead,) = hackernews.parse(answer(item, b'{"id": 1, "dead": true, "score": 2}'), ctx).signals
    assert dead.points == 2 and "dead" in (dead.note or "")
    assert dead.comments == 23  # no descendants in the answer: Algolia's count stays
    (gone,) = hackernews.parse(answer(item, b"null"), ctx).signals
    assert gone.points == 87 and "no such HN item" in (gone.note or "")


def test_the_shops_own_story_is_marked(sample):
    ctx = SignalContext.for_site(
        "https://examplegoods.com/", own_handles=frozenset({"hackernews:ExampleGoods"})
    )
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    (item,) = hackernews.parse(answer(request, sample("hn-algolia-search.json")), ctx).next
    assert item.carry[0].by_shop is True and item.carry[0].title.startswith("Show HN")


def test_pages_go_back_in_time_without_losing_same_second_stories(ctx):
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    url = "https://nordlysgoods.example/p"
    hits = [_hit(i, f"{url}{i}", 1000 - i // 2) for i in range(hackernews.HITS_PER_PAGE)]
    step = hackernews.parse(answer(request, _page(hits, total=500)), ctx)
    more = step.next[-1]
    oldest = 1000 - (hackernews.HITS_PER_PAGE - 1) // 2
    assert _query(more)["numericFilters"] == [f"created_at_i<={oldest}"]
    assert set(more.data["skip"]) == {"198", "199"}
    # the next page starts with the two stories already read at that second
    again = [_hit(198, f"{url}198", oldest), _hit(199, f"{url}199", oldest), _hit(500, url, 5)]
    step = hackernews.parse(answer(more, _page(again)), ctx)
    assert [r.carry[0].item_id for r in step.next] == ["500"]


def test_a_listing_past_max_pages_is_cut_off_with_a_reason(ctx):
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    url = "https://nordlysgoods.example/p"
    hits = [_hit(i, url, 10_000 - i) for i in range(hackernews.HITS_PER_PAGE)]
    last = request
    for _ in range(hackernews.MAX_PAGES - 1):
        last = hackernews.parse(answer(last, _page(hits, total=99_999)), ctx).next[-1]
        assert last.step == "listing"
    final = hackernews.parse(answer(last, _page(hits, total=99_999)), ctx)
    assert all(r.step == "item" for r in final.next)
    assert "cut off" in (final.partial or "")


def test_an_empty_listing_is_an_answer(ctx):
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    step = hackernews.parse(answer(request, _page([])), ctx)
    assert step.signals == [] and step.next == [] and step.partial is None


@pytest.mark.parametrize("body", [b"not json", b'{"nbHits": 1}', b'{"hits": ["x"]}', b"[]"])
def test_unexpected_listing_bodies_are_malformed(ctx, body):
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    with pytest.raises(MalformedResponse):
        hackernews.parse(answer(request, body), ctx)


def test_an_item_that_is_not_an_object_is_malformed(ctx, sample):
    (request,) = hackernews.domain_requests(ctx, domain_check(ctx))
    item = hackernews.parse(answer(request, sample("hn-algolia-search-url.json")), ctx).next[0]
    with pytest.raises(MalformedResponse):
        hackernews.parse(answer(item, b"[1, 2]"), ctx)
