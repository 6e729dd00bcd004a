"""Lobsters: the domain feed, paged 25 at a time; an unknown domain's 404 means none."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from unsilo.signals import lobsters
from unsilo.signals.source import SignalContext
from unsilo.social.errors import MalformedResponse

from .conftest import answer, domain_check


def _story(short_id: str, url: str = "https://nordlysgoods.example/p") -> dict:
    return {"short_id": short_id, "url": url, "created_at": "2026-01-01T00:00:00.000-06:00"}


def test_domain_feed_gives_each_story_with_utc_time(ctx, sample):
    (request,) = lobsters.domain_requests(ctx, domain_check(ctx))
    assert urlsplit(request.url).path == "/domains/nordlysgoods.example.json"
    assert 404 in request.accept and lobsters.url_requests(ctx, domain_check(ctx)) == []
    step = lobsters.parse(answer(request, sample("lobsters-domain.json")), ctx)
    first, second = step.signals
    assert first.url_key == "https://nordlysgoods.example/blog/statisk-katalog"
    assert first.first_seen == "2026-08-27T13:14:52+00:00"  # -05:00 (CDT) taken off
    assert (first.points, first.comments, first.author) == (34, 12, "jkjaer")
    assert first.permalink.startswith("https://lobste.rs/s/q4kd2m/")
    assert first.item_id == "q4kd2m" and first.note == "submitted by the page's author"
    assert second.first_seen == "2026-03-11T20:40:07+00:00" and second.note is None
    assert first.replies_by_others is None  # the submitter's own comments are in the count
    assert step.next == [] and step.partial is None


def test_unknown_domain_404_is_none_not_an_error(ctx):
    (request,) = lobsters.domain_requests(ctx, domain_check(ctx))
    body = b"<html>not found</html>"
    step = lobsters.parse(answer(request, body, status=404), ctx)
    assert step.signals == [] and step.next == []


def test_full_pages_page_on_and_stop_with_a_reason(ctx):
    (request,) = lobsters.domain_requests(ctx, domain_check(ctx))
    full = json.dumps([_story(f"s{i}") for i in range(lobsters.PAGE_SIZE)]).encode()
    step = lobsters.parse(answer(request, full), ctx)
    (more,) = step.next
    assert urlsplit(more.url).path == "/domains/nordlysgoods.example/page/2.json"
    last = more
    for _ in range(lobsters.MAX_PAGES - 2):
        last = lobsters.parse(answer(last, full), ctx).next[0]
    final = lobsters.parse(answer(last, full), ctx)
    assert final.next == [] and "cut off" in (final.partial or "")
    short = lobsters.parse(answer(more, json.dumps([_story("x")]).encode()), ctx)
    assert short.next == [] and short.partial is None


def test_other_hosts_and_own_submissions():
    ctx = SignalContext.for_site("nordlysgoods.example", own_handles=frozenset({"lobsters:Sune"}))
    (request,) = lobsters.domain_requests(ctx, domain_check(ctx))
    stories = [_story("a", "https://elsewhere.example/x"), _story("b")]
    stories[1]["submitter_user"] = "sune"
    (signal,) = lobsters.parse(answer(request, json.dumps(stories).encode()), ctx).signals
    assert signal.item_id == "b" and signal.by_shop is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-15T09:00:00.000-06:00", "2026-01-15T15:00:00+00:00"),  # CST in winter
        ("2026-01-15T09:00:00", None),  # no offset: unknown, not guessed
        ("yesterday", None),
        (None, None),
    ],
)
def test_central_time_to_utc(value, expected):
    assert lobsters.central_to_utc(value) == expected


@pytest.mark.parametrize("body", [b"not json", b'{"stories": []}', b'["x"]'])
def test_unexpected_bodies_are_malformed(ctx, body):
    (request,) = lobsters.domain_requests(ctx, domain_check(ctx))
    with pytest.raises(MalformedResponse):
        lobsters.parse(answer(request, body), ctx)
