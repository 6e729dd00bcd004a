"""Failure mapping: every HTTP status, exception and bad body has an explicit api_status."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from lxml import etree

from unsilo.social.errors import (
    ApiOutcome,
    MalformedResponse,
    failed_profile,
    load_json,
    outcome_from_exception,
    outcome_from_http,
    retry_after_seconds,
)
from unsilo.social.items import API_STATUSES

NOW = datetime(2026, 8, 20, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("platform", "status", "api_status"),
    [
        ("mastodon", 401, "instance closed"),
        ("mastodon", 403, "instance closed"),
        ("bluesky", 401, "needs token"),
        ("bluesky", 403, "needs token"),
        ("bluesky", 400, "not found"),
        ("mastodon", 404, "not found"),
        ("tumblr", 410, "not found"),
        ("bluesky", 429, "rate limited"),
        ("mastodon", 500, "source unavailable"),
        ("youtube", 503, "source unavailable"),
        ("pinterest", 418, "source unavailable"),
    ],
)
def test_http_status_mapping(platform, status, api_status) -> None:
    outcome = outcome_from_http(platform, status)
    assert outcome is not None
    assert outcome.api_status == api_status
    assert outcome.api_status in API_STATUSES
    assert str(status) in outcome.reason


@pytest.mark.parametrize("status", [200, 204])
def test_success_is_no_outcome(status) -> None:
    assert outcome_from_http("bluesky", status) is None


def test_mastodon_401_names_the_instance_setting() -> None:
    outcome = outcome_from_http("mastodon", 401)
    assert "DISALLOW_UNAUTHENTICATED_API_ACCESS" in outcome.reason


@pytest.mark.parametrize("status", [404, 500])
def test_youtube_feed_outage_is_not_proof_of_absence(status) -> None:
    outcome = outcome_from_http("youtube", status, feed=True)
    assert outcome.api_status == "source unavailable"
    assert "outage" in outcome.reason
    assert outcome_from_http("youtube", 404).api_status == "not found"  # the channel page


def test_429_with_delta_seconds() -> None:
    outcome = outcome_from_http("mastodon", 429, {"Retry-After": "120"}, now=NOW)
    assert outcome == ApiOutcome("rate limited", "HTTP 429 from Mastodon; retry after 120 s", 120)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "Thu, 20 Aug 2026 12:05:00 GMT"}, 300.0),
        ({"retry-after": "Thu, 20 Aug 2026 11:00:00 GMT"}, 0.0),  # past dates: go now
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "soon"}, None),
        ({"ratelimit-reset": str(int(NOW.timestamp()) + 90)}, 90.0),
        ({}, None),
    ],
)
def test_retry_after_forms(headers, seconds) -> None:
    assert retry_after_seconds(headers, now=NOW) == seconds


def test_scrapy_style_bytes_headers() -> None:
    headers = {b"Retry-After": [b"15", b"99"], b"Content-Type": [b"application/json"]}
    assert outcome_from_http("bluesky", 429, headers, now=NOW).retry_after == 15.0
    assert retry_after_seconds({"Retry-After": "7"}, now=NOW) == 7.0  # any case


def test_429_without_retry_after() -> None:
    outcome = outcome_from_http("bluesky", 429, {}, now=NOW)
    assert outcome.retry_after is None
    assert outcome.api_status == "rate limited"


@pytest.mark.parametrize(
    ("exc", "api_status"),
    [
        (MalformedResponse("x"), "malformed response"),
        (json.JSONDecodeError("x", "doc", 0), "malformed response"),
        (etree.XMLSyntaxError("x", 1, 1, 1), "malformed response"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad"), "malformed response"),
        (TimeoutError("timed out"), "source unavailable"),
        (ConnectionRefusedError("refused"), "source unavailable"),
    ],
)
def test_exception_mapping(exc, api_status) -> None:
    assert outcome_from_exception("bluesky", exc).api_status == api_status


@pytest.mark.parametrize("body", [b"{", b"\xff\xfe", "not json", b""])
def test_load_json_rejects_bad_bodies(body) -> None:
    with pytest.raises(MalformedResponse):
        load_json(body)


def test_load_json_passes_parsed_data_through() -> None:
    data = {"a": 1}
    assert load_json(data) is data
    assert load_json(b'{"a": 1}') == data


def test_failed_profile_is_unknown_not_zero() -> None:
    outcome = outcome_from_http("mastodon", 401)
    profile = failed_profile("mastodon", "shop@m.example", outcome, fetched_at="2026-08-20")
    assert profile.api_status == "instance closed"
    assert profile.status_reason == outcome.reason
    assert (profile.followers, profile.following, profile.posts_count) == (None, None, None)
