"""Arctic Shift: Reddit posts by URL prefix (four prefixes per domain), paged by date."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from unsilo.signals import arctic_shift
from unsilo.signals.source import SignalFailure
from unsilo.social.errors import MalformedResponse

from .conftest import answer, domain_check


def _query(request) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.url).query)


def _posts(rows: list[dict]) -> bytes:
    return json.dumps({"data": rows}).encode()


def _row(post_id: str, stamp: int, url: str = "https://nordlysgoods.example/p") -> dict:
    return {"id": post_id, "created_utc": stamp, "url": url, "subreddit": "Denmark"}


def test_four_prefixes_cover_both_schemes_with_and_without_www(ctx):
    requests = arctic_shift.domain_requests(ctx, domain_check(ctx))
    assert [_query(r)["url"][0] for r in requests] == [
        "https://nordlysgoods.example",
        "https://www.nordlysgoods.example",
        "http://nordlysgoods.example",
        "http://www.nordlysgoods.example",
    ]
    query = _query(requests[0])
    assert query["limit"] == ["100"] and query["sort"] == ["desc"] and "before" not in query
    assert arctic_shift.url_requests(ctx, domain_check(ctx)) == []


def test_sample_posts_become_reddit_shares_with_archive_notes(ctx, sample):
    request = arctic_shift.domain_requests(ctx, domain_check(ctx))[0]
    step = arctic_shift.parse(answer(request, sample("arcticshift-posts-search-url.json")), ctx)
    first, second = step.signals
    assert first.item_id == "t3_1v3k8qa"  # Reddit's fullname, as the reddit source has it
    assert first.community == "r/Denmark" and (first.points, first.comments) == (142, 37)
    assert first.permalink == "https://www.reddit.com/r/Denmark/comments/1v3k8qa/"
    assert first.first_seen == "2026-08-23T16:22:05+00:00"
    assert first.note == "score and comments as archived on 2026-08-25"
    assert first.source == "arctic_shift" and first.target == "nordlysgoods.example"
    assert second.url_key == "https://nordlysgoods.example/produkter/aurora-bordlampe"
    assert step.next == [] and step.partial is None


def test_full_pages_go_back_in_time_skipping_what_was_read(ctx):
    request = arctic_shift.domain_requests(ctx, domain_check(ctx))[1]
    size = arctic_shift.PAGE_SIZE
    rows = [_row(f"p{i}", 5000 - i // 2) for i in range(size)]
    (more,) = arctic_shift.parse(answer(request, _posts(rows)), ctx).next
    oldest = 5000 - (size - 1) // 2
    assert _query(more)["before"] == [str(oldest)]
    assert _query(more)["url"] == _query(request)["url"]
    again = [_row(f"p{size - 1}", oldest), _row("new", 10)]
    step = arctic_shift.parse(answer(more, _posts(again)), ctx)
    assert [s.item_id for s in step.signals] == ["t3_new"] and step.next == []


def test_a_prefix_past_max_pages_is_cut_off(ctx):
    request = arctic_shift.domain_requests(ctx, domain_check(ctx))[0]
    rows = [_row(f"p{i}", 9000 - i) for i in range(arctic_shift.PAGE_SIZE)]
    last = request
    for _ in range(arctic_shift.MAX_PAGES - 1):
        last = arctic_shift.parse(answer(last, _posts(rows)), ctx).next[0]
    final = arctic_shift.parse(answer(last, _posts(rows)), ctx)
    assert final.next == [] and "https://nordlysgoods.example cut off" in (final.partial or "")


def test_other_sites_are_dropped(ctx):
    request = arctic_shift.domain_requests(ctx, domain_check(ctx))[0]
    rows = [_row("x", 1, "https://nordlysgoods.example.evil.test/"), _row("y", 1, None)]
    assert arctic_shift.parse(answer(request, _posts(rows)), ctx).signals == []


def test_an_error_body_is_the_service_saying_no(ctx):
    request = arctic_shift.domain_requests(ctx, domain_check(ctx))[0]
    body = b'{"error": "Timeout. Maybe slow down a bit"}'
    with pytest.raises(SignalFailure) as caught:
        arctic_shift.parse(answer(request, body), ctx)
    assert caught.value.status == "source unavailable" and "Timeout" in caught.value.reason


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"data": "x"}', b'{"data": [1]}'])
def test_unexpected_bodies_are_malformed(ctx, body):
    request = arctic_shift.domain_requests(ctx, domain_check(ctx))[0]
    with pytest.raises(MalformedResponse):
        arctic_shift.parse(answer(request, body), ctx)
