"""The Hacker News and Lobsters fakes over real HTTP, alone and with their adapters."""

from __future__ import annotations

import json

import pytest

from unsilo.signals import hackernews, lobsters
from unsilo.signals.fakes import FakeShare, FakeSignals, FakeSignalServer
from unsilo.signals.source import SignalContext, SignalRequest, SignalTarget

from .news_http import fetch, run

SHOP = "https://nordlysgoods.example"
MUG = f"{SHOP}/produkter/fjord-keramikkrus"


@pytest.fixture
def data() -> FakeSignals:
    data = FakeSignals(SHOP)
    data.shares = [
        FakeShare(
            "hackernews",
            f"{MUG}?utm_source=hackernews",
            "49384117",
            title="Mugs",
            points=91,
            comments=23,
            replies_by_others=4,
            extra=(("algolia_points", "87"),),
        ),
        FakeShare("hackernews", f"{MUG}-saet", "49170288", created_at=data.ago(120)),
        FakeShare(
            "hackernews", "https://nordlysgoods.example-fake.com/", "1", created_at=data.ago(9)
        ),
        FakeShare("lobsters", "https://www.nordlysgoods.example/blog/k", "q4kd2m", points=34),
    ]
    return data


def _get(url: str):
    status, headers, body = fetch(SignalRequest(url, "x", SignalTarget("domain", "x", "x")))
    return status, headers, json.loads(body) if body else None


def test_algolia_matches_the_last_word_as_a_prefix_and_honours_filters(data):
    with FakeSignalServer(data) as fake:
        base = f"{fake.url}/api/v1/search_by_date?tags=story&query=nordlysgoods.example"
        status, _, body = _get(f"{base}/produkter/fjord-keramikkrus")
        assert status == 200
        assert [h["objectID"] for h in body["hits"]] == ["49384117", "49170288"]  # the trap
        assert body["hits"][0]["points"] == 87  # lagging behind Firebase's 91
        stamp = body["hits"][1]["created_at_i"]
        _, _, older = _get(f"{base}&numericFilters=created_at_i<={stamp}")
        assert [h["objectID"] for h in older["hits"]] == ["49170288"]
        _, _, paged = _get(f"{base}&hitsPerPage=1&page=1")
        assert paged["nbHits"] == 3 and paged["nbPages"] == 3 and len(paged["hits"]) == 1


def test_firebase_items_and_failures(data):
    with FakeSignalServer(data) as fake:
        status, _, item = _get(f"{fake.url}/v0/item/49384117.json")
        assert status == 200 and item["score"] == 91 and item["descendants"] == 23
        assert len(item["kids"]) == 4
        fake.fail("/v0/item", "503")
        assert _get(f"{fake.url}/v0/item/49384117.json")[0] == 503


def test_hackernews_end_to_end_with_current_counts(data):
    with FakeSignalServer(data) as fake:
        ctx = SignalContext.for_site(SHOP, endpoints=fake.endpoints)
        outcome = run(hackernews, ctx)
        assert outcome.failures == [] and outcome.partial == []
        by_id = {s.item_id: s for s in outcome.signals}
        assert set(by_id) == {"49384117", "49170288"}  # the look-alike domain is dropped
        assert by_id["49384117"].points == 91 and by_id["49384117"].url_key == MUG
        assert outcome.requests == 3  # one listing page, one item per story
        assert fake.count("/v0/item/") == 2


def test_hackernews_keeps_the_story_when_firebase_fails(data):
    with FakeSignalServer(data) as fake:
        fake.fail("/v0/item", "500")
        outcome = run(hackernews, SignalContext.for_site(SHOP, endpoints=fake.endpoints))
        story = next(s for s in outcome.signals if s.item_id == "49384117")
        assert story.points == 87 and "current points and comments unknown" in story.note


def test_hackernews_pages_back_in_time_past_a_page(data, monkeypatch):
    monkeypatch.setattr(hackernews, "HITS_PER_PAGE", 1)
    with FakeSignalServer(data) as fake:
        outcome = run(hackernews, SignalContext.for_site(SHOP, endpoints=fake.endpoints))
        assert {s.item_id for s in outcome.signals} == {"49384117", "49170288"}
        # one story a page: each is read twice (its second might hold more), then none is left
        assert fake.count("/api/v1/search_by_date") == 7


def test_lobsters_domain_feed_pages_and_unknown_domains(data):
    data.shares += [
        FakeShare("lobsters", f"{SHOP}/p{i}", f"s{i}", created_at=data.ago(100 + i))
        for i in range(30)
    ]
    with FakeSignalServer(data) as fake:
        status, _, first = _get(f"{fake.url}/domains/nordlysgoods.example.json")
        assert status == 200 and len(first) == 25 and first[0]["short_id"] == "q4kd2m"
        assert first[0]["created_at"].endswith("-05:00")  # September: CDT
        _, _, second = _get(f"{fake.url}/domains/nordlysgoods.example/page/2.json")
        assert len(second) == 6
        assert _get(f"{fake.url}/domains/unknown.example.json")[0] == 404
        outcome = run(lobsters, SignalContext.for_site(SHOP, endpoints=fake.endpoints))
        assert len(outcome.signals) == 31 and outcome.requests == 2


def test_lobsters_unknown_domain_is_an_empty_answer(data):
    with FakeSignalServer(data) as fake:
        ctx = SignalContext.for_site("https://quiet.example", endpoints=fake.endpoints)
        outcome = run(lobsters, ctx)
        assert outcome.signals == [] and outcome.failures == [] and outcome.requests == 1
        fake.fail("/domains", "429", retry_after="60")
        outcome = run(lobsters, ctx)
        assert outcome.failures and outcome.failures[0].reason == "HTTP 429"


def test_lobsters_times_come_back_as_utc(data):
    when = data.shares[-1].created_at
    with FakeSignalServer(data) as fake:
        (story,) = run(lobsters, SignalContext.for_site(SHOP, endpoints=fake.endpoints)).signals
        assert story.first_seen == when.isoformat() and story.points == 34


def test_fake_shapes_use_the_samples_keys(data, sample):
    with FakeSignalServer(data) as fake:
        _, _, found = _get(f"{fake.url}/api/v1/search_by_date?query=nordlysgoods.example")
        _, _, item = _get(f"{fake.url}/v0/item/49384117.json")
        _, _, stories = _get(f"{fake.url}/domains/nordlysgoods.example.json")
    real = json.loads(sample("hn-algolia-search-url.json"))
    assert set(found) - {"processingTimingsMS"} == set(real) - {"processingTimingsMS"}
    assert set(found["hits"][0]) == set(real["hits"][0])
    assert set(item) == set(json.loads(sample("hn-firebase-item.json")))
    assert list(stories[0]) == list(json.loads(sample("lobsters-domain.json"))[0])  # key order
