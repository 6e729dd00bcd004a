"""Lemmy: per-URL search chained over instances, v3 then v4, copies merged by ap_id."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from unsilo.signals import lemmy
from unsilo.signals.source import SignalFailure, SignalTarget
from unsilo.social.errors import MalformedResponse

from .conftest import answer

PAGE = "https://nordlysgoods.example/produkter/aurora-bordlampe"
CHECK = SignalTarget("url", PAGE, PAGE)


@pytest.fixture
def two(ctx):
    """The sample's shop, asking feddit.dk then lemmy.world."""
    return replace(ctx, options={"instances": ["feddit.dk", "lemmy.world"]})


def test_the_first_call_is_a_v3_url_search_on_the_first_instance(ctx):
    (request,) = lemmy.url_requests(ctx, CHECK)
    parts = urlsplit(request.url)
    assert parts.netloc == "lemmy.world" and parts.path == "/api/v3/search"
    assert parse_qs(parts.query)["q"] == [PAGE] and parse_qs(parts.query)["type_"] == ["Url"]
    assert request.data["instances"] == lemmy.DEFAULT_INSTANCES
    assert lemmy.domain_requests(ctx, CHECK) == []


def test_instances_chain_and_federated_copies_become_one_share(two, sample):
    (dk,) = lemmy.url_requests(two, CHECK)
    step = lemmy.parse(answer(dk, sample("lemmy-search-url.json")), two)
    assert step.signals == []
    (world,) = step.next
    assert urlsplit(world.url).netloc == "lemmy.world" and len(world.carry) == 2
    assert world.follow_up == "posts on lemmy.world"
    step = lemmy.parse(answer(world, b'{"error": "not_found"}', 404), two)  # lemmy.world runs 1.0
    assert step.signals == [] and step.next[0].url.startswith("https://lemmy.world/api/v4")
    assert step.next[0].carry == world.carry
    final = lemmy.parse(answer(step.next[0], sample("lemmy-v4-search-url.json")), two)
    by_id = {s.item_id: s for s in final.signals}
    assert sorted(by_id) == ["https://feddit.dk/post/6104417", "https://lemmy.world/post/35880214"]
    local = by_id["https://feddit.dk/post/6104417"]
    assert (local.points, local.comments, local.note) == (24, 7, None)
    assert local.author == "mettekjaer@feddit.dk" and local.community == "boligindretning@feddit.dk"
    assert local.first_seen == "2026-08-22T18:30:14.482913Z" and local.by_shop is False
    origin = by_id["https://lemmy.world/post/35880214"]
    assert origin.note is None  # the copy seen on feddit.dk gave way to the origin's answer
    assert final.partial is None


def test_a_v3_404_asks_the_same_instance_v4_with_the_same_carry(two, sample):
    (dk,) = lemmy.url_requests(two, CHECK)
    step = lemmy.parse(answer(dk, b'{"error": "not_found"}', 404), two)
    (again,) = step.next
    assert (
        urlsplit(again.url).path == "/api/v4/search" and urlsplit(again.url).netloc == "feddit.dk"
    )
    assert parse_qs(urlsplit(again.url).query)["post_url_only"] == ["true"]


def test_other_spellings_in_the_results_are_dropped(ctx, sample):
    only = replace(ctx, options={"instances": ["feddit.dk"]})
    (request,) = lemmy.url_requests(only, SignalTarget("url", PAGE + "-saet", PAGE + "-saet"))
    assert lemmy.parse(answer(request, sample("lemmy-search-url.json")), only).signals == []


@pytest.mark.parametrize(
    ("name", "status", "reason"),
    [
        ("lemmy-error-rate-limit.json", 400, "rate limited"),
        ("lemmy-error-instance-private.json", 400, "is private"),
    ],  # fmt: skip
)
def test_a_refusing_instance_is_skipped_and_named(two, sample, name, status, reason):
    (dk,) = lemmy.url_requests(two, CHECK)
    (world,) = lemmy.parse(answer(dk, sample(name), status), two).next
    final = lemmy.parse(answer(world, sample("lemmy-search-url.json")), two)
    assert len(final.signals) == 2 and f"feddit.dk {reason}" in (final.partial or "")


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        (b'{"error": "rate_limit_error"}', 400, "rate limited"),
        (b"", 429, "rate limited"),
        (b'{"error": "instance_is_private"}', 400, "refused"),
        (b"<html>bad gateway</html>", 502, "source unavailable"),
    ],  # fmt: skip
)
def test_when_no_instance_answered_the_page_is_unknown(ctx, body, status, expected):
    only = replace(ctx, options={"instances": ["feddit.dk"]})
    (request,) = lemmy.url_requests(only, CHECK)
    if status == 429:  # a 1.0 instance: v3 is gone, v4 is rate limited
        request = lemmy.parse(answer(request, b"", 404), only).next[0]
    with pytest.raises(SignalFailure) as failure:
        lemmy.parse(answer(request, body, status), only)
    assert failure.value.status == expected and "feddit.dk" in failure.value.reason


def test_a_full_page_is_answered_but_partial(ctx, sample):
    only = replace(ctx, options={"instances": ["feddit.dk"]})
    (request,) = lemmy.url_requests(only, CHECK)
    data = json.loads(sample("lemmy-search-url.json"))
    view = data["posts"][1]
    data["posts"] = [
        {**view, "post": {**view["post"], "ap_id": f"https://feddit.dk/post/{i}"}}
        for i in range(lemmy.PAGE_SIZE)
    ]
    step = lemmy.parse(answer(request, json.dumps(data).encode()), only)
    assert len(step.signals) == lemmy.PAGE_SIZE and "more than 50" in (step.partial or "")


def test_own_handles_mark_the_shop_and_bad_options_are_refused(ctx, sample):
    own = replace(
        ctx,
        options={"instances": ["feddit.dk"]},
        own_handles=frozenset({"lemmy:mettekjaer@feddit.dk"}),
    )
    (request,) = lemmy.url_requests(own, CHECK)
    signals = lemmy.parse(answer(request, sample("lemmy-search-url.json")), own).signals
    assert [s.by_shop for s in signals] == [False, True]
    with pytest.raises(ValueError, match="list of host names"):
        lemmy.url_requests(replace(ctx, options={"instances": "feddit.dk"}), CHECK)


@pytest.mark.parametrize("body", [b'{"type_": "Url"}', b"not json", b"[]"])
def test_unexpected_bodies_are_malformed(ctx, body):
    (request,) = lemmy.url_requests(ctx, CHECK)
    with pytest.raises(MalformedResponse):
        lemmy.parse(answer(request, body), ctx)
