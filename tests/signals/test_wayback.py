"""The Wayback Machine source: first captures by domain, paged, never a social signal."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from unsilo.signals import wayback
from unsilo.social.errors import MalformedResponse

from .conftest import answer, domain_check


def test_one_domain_listing_gives_each_url_its_first_capture(ctx, sample):
    (request,) = wayback.domain_requests(ctx, domain_check(ctx))
    query = parse_qs(urlsplit(request.url).query)
    assert query["url"] == ["nordlysgoods.example"] and query["matchType"] == ["domain"]
    assert query["collapse"] == ["urlkey"]  # earliest row per URL, not every capture
    step = wayback.parse(answer(request, sample("wayback-cdx-first-capture.json")), ctx)
    (signal,) = step.signals
    assert signal.kind == "capture" and signal.source == "wayback"
    assert signal.url_key == "https://nordlysgoods.example/produkter/aurora-bordlampe"
    assert signal.first_seen == "2025-03-14T09:35:17+00:00"
    assert signal.target == "nordlysgoods.example"
    assert step.next == [] and step.partial is None


def test_no_capture_is_an_empty_answer_not_an_error(ctx):
    (request,) = wayback.domain_requests(ctx, domain_check(ctx))
    assert wayback.parse(answer(request, b"[]"), ctx).signals == []


def test_resume_key_pages_on_and_is_cut_off_with_a_reason(ctx):
    (request,) = wayback.domain_requests(ctx, domain_check(ctx))
    rows = [["timestamp", "original", "statuscode"]]
    rows += [["20240101000000", "https://nordlysgoods.example/a", "200"], [], ["key-2"]]
    step = wayback.parse(answer(request, json.dumps(rows).encode()), ctx)
    (more,) = step.next
    assert parse_qs(urlsplit(more.url).query)["resumeKey"] == ["key-2"]
    last = more
    for _ in range(wayback.MAX_PAGES - 2):
        last = wayback.parse(answer(last, json.dumps(rows).encode()), ctx).next[0]
    final = wayback.parse(answer(last, json.dumps(rows).encode()), ctx)
    assert final.next == [] and "cut off" in (final.partial or "")


def test_other_sites_in_the_listing_are_dropped(ctx):
    (request,) = wayback.domain_requests(ctx, domain_check(ctx))
    rows = [["timestamp", "original"], ["20240101000000", "https://elsewhere.example/x"]]
    assert wayback.parse(answer(request, json.dumps(rows).encode()), ctx).signals == []


@pytest.mark.parametrize("body", [b'{"rows": []}', b"not json", b'[["when"], ["1"]]'])
def test_unexpected_bodies_are_malformed(ctx, body):
    (request,) = wayback.domain_requests(ctx, domain_check(ctx))
    with pytest.raises(MalformedResponse):
        wayback.parse(answer(request, body), ctx)
