"""Reddit: site search by domain (token or client credentials), /api/info for top pages."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from unsilo.signals import reddit
from unsilo.signals.registry import missing_secrets
from unsilo.signals.source import SignalContext, SignalFailure, SignalTarget
from unsilo.social.errors import MalformedResponse

from .conftest import SAMPLE_SHOP, answer, domain_check

TOKEN = {"UNSILO_REDDIT_TOKEN": "tok-123"}
CLIENT = {"UNSILO_REDDIT_CLIENT_ID": "id-1", "UNSILO_REDDIT_CLIENT_SECRET": "s3cret"}
PAGE = "https://nordlysgoods.example/produkter/aurora-bordlampe"


def _ctx(secrets=TOKEN, **options) -> SignalContext:
    return SignalContext.for_site(SAMPLE_SHOP, secrets=secrets, options=options)


def _post(post_id: str, url: str = PAGE, **facts) -> dict:
    return {"kind": "t3", "data": {"name": f"t3_{post_id}", "url": url, **facts}}


def _listing(children: list[dict], after: str | None = None) -> bytes:
    return json.dumps({"kind": "Listing", "data": {"children": children, "after": after}}).encode()


def test_either_login_is_enough_and_the_token_is_named_when_none_is_set():
    assert missing_secrets(reddit, TOKEN) == []
    assert missing_secrets(reddit, CLIENT) == []
    assert missing_secrets(reddit, {"UNSILO_REDDIT_CLIENT_ID": "x"}) == ["UNSILO_REDDIT_TOKEN"]
    assert "UNSILO_REDDIT_TOKEN" in reddit.TOKEN_HINT and "score" in reddit.TOKEN_HINT


def test_site_search_with_the_token_in_headers_only(sample):
    ctx = _ctx(username="nordlys_dev")
    (request,) = reddit.domain_requests(ctx, domain_check(ctx))
    query = parse_qs(urlsplit(request.url).query)
    assert query["q"] == ["site:nordlysgoods.example"] and query["sort"] == ["new"]
    assert query["type"] == ["link"] and query["limit"] == ["100"]
    assert "tok-123" not in request.url and request.headers["Authorization"] == "bearer tok-123"
    assert request.headers["User-Agent"].startswith("python:unsilo:")
    assert request.headers["User-Agent"].endswith("(by /u/nordlys_dev)")
    assert 401 in request.accept
    step = reddit.parse(answer(request, sample("reddit-search-site.json")), ctx)
    newest, older = step.signals
    assert newest.item_id == "t3_1v9m2cz" and newest.community == "r/InteriorDesign"
    assert newest.first_seen == "2026-08-29T07:48:31+00:00"  # created_utc; created is 15:48
    assert (older.points, older.comments) == (142, 37)
    assert older.permalink.startswith("https://www.reddit.com/r/Denmark/comments/1v3k8qa/")
    assert older.url_key == PAGE and older.replies_by_others is None
    assert step.next == [] and step.partial is None
    assert all("tok-123" not in repr(s) for s in step.signals)


def test_after_pages_on_keeping_headers_and_is_cut_off(sample):
    ctx = _ctx()
    (request,) = reddit.domain_requests(ctx, domain_check(ctx))
    body = _listing([_post("a")], after="t3_a")
    (more,) = reddit.parse(answer(request, body), ctx).next
    assert parse_qs(urlsplit(more.url).query)["after"] == ["t3_a"]
    assert more.headers == request.headers
    last = more
    for _ in range(reddit.MAX_PAGES - 2):
        last = reddit.parse(answer(last, body), ctx).next[0]
    final = reddit.parse(answer(last, body), ctx)
    assert final.next == [] and "cut off" in (final.partial or "")


def test_a_used_up_rate_limit_stops_paging_with_a_reason():
    ctx = _ctx()
    (request,) = reddit.domain_requests(ctx, domain_check(ctx))
    body = _listing([_post("a")], after="t3_a")
    headers = {"x-ratelimit-remaining": "0.0", "x-ratelimit-reset": "312"}
    step = reddit.parse(answer(request, body, **headers), ctx)
    assert len(step.signals) == 1 and step.next == []
    assert "312 s" in (step.partial or "")


@pytest.mark.parametrize(
    ("status", "headers", "expected", "wait"),
    [
        (401, {}, "needs token", None),
        (403, {}, "refused", None),
        (429, {"x-ratelimit-reset": "42"}, "rate limited", 42.0),
    ],
)
def test_refusals_are_precise_failures_that_stop_the_source(status, headers, expected, wait):
    ctx = _ctx()
    (request,) = reddit.domain_requests(ctx, domain_check(ctx))
    body = b'{"message": "nope", "error": %d}' % status
    with pytest.raises(SignalFailure) as caught:
        reddit.parse(answer(request, body, status=status, **headers), ctx)
    failure = caught.value
    assert failure.status == expected and failure.stop_source and failure.retry_after == wait
    assert "tok-123" not in failure.reason
    if status == 401:
        assert "expired or invalid" in failure.reason


def test_client_credentials_fetch_a_token_then_search_with_it(sample):
    ctx = _ctx(CLIENT)
    (token_call,) = reddit.domain_requests(ctx, domain_check(ctx))
    assert token_call.method == "POST" and token_call.body == b"grant_type=client_credentials"
    basic = base64.b64encode(b"id-1:s3cret").decode()
    assert token_call.headers["Authorization"] == f"Basic {basic}"
    assert "s3cret" not in token_call.url
    (search,) = reddit.parse(answer(token_call, sample("reddit-oauth-token.json")), ctx).next
    assert search.step == "search" and search.headers["Authorization"].startswith("bearer eyJ")
    # a token fetched in one answer cannot reach the per-page calls planned before it
    assert reddit.url_requests(ctx, SignalTarget("url", PAGE, PAGE)) == []


@pytest.mark.parametrize(
    ("status", "body"), [(401, b'{"error": 401}'), (200, b'{"error": "invalid_grant"}')]
)
def test_refused_client_credentials_need_a_token(status, body):
    ctx = _ctx(CLIENT)
    (token_call,) = reddit.domain_requests(ctx, domain_check(ctx))
    with pytest.raises(SignalFailure) as caught:
        reddit.parse(answer(token_call, body, status=status), ctx)
    assert caught.value.status == "needs token" and "s3cret" not in caught.value.reason


def test_a_refused_fetched_token_is_not_blamed_on_the_token_variable(sample):
    ctx = _ctx(CLIENT)
    (token_call,) = reddit.domain_requests(ctx, domain_check(ctx))
    (search,) = reddit.parse(answer(token_call, sample("reddit-oauth-token.json")), ctx).next
    with pytest.raises(SignalFailure) as caught:
        reddit.parse(answer(search, b"{}", status=401), ctx)
    assert "fetched with UNSILO_REDDIT_CLIENT_ID" in caught.value.reason


def test_info_per_page_keeps_only_that_page():
    ctx = _ctx()
    check = SignalTarget("url", PAGE, PAGE)
    (request,) = reddit.url_requests(ctx, check)
    assert parse_qs(urlsplit(request.url).query)["url"] == [PAGE]
    children = [
        _post("a", "http://www.nordlysgoods.example/produkter/aurora-bordlampe"),
        _post("b", PAGE + "-mini"),
        _post("c", "https://elsewhere.example/produkter/aurora-bordlampe"),
    ]
    step = reddit.parse(answer(request, _listing(children)), ctx)
    assert [s.item_id for s in step.signals] == ["t3_a"] and step.next == []
    assert step.signals[0].target == PAGE


def test_per_url_can_be_turned_off_and_the_sample_of_another_site_is_dropped(sample):
    check = SignalTarget("url", PAGE, PAGE)
    assert reddit.url_requests(_ctx(per_url=False), check) == []
    (request,) = reddit.url_requests(_ctx(), check)
    assert reddit.parse(answer(request, sample("reddit-info.json")), _ctx()).signals == []


def test_own_and_removed_posts():
    ctx = SignalContext.for_site(
        SAMPLE_SHOP, secrets=TOKEN, own_handles=frozenset({"reddit:u/nordlysgoods"})
    )
    (request,) = reddit.domain_requests(ctx, domain_check(ctx))
    children = [_post("a", author="NordlysGoods", removed_by_category="moderator")]
    (signal,) = reddit.parse(answer(request, _listing(children)), ctx).signals
    assert signal.by_shop is True and signal.note == "removed on Reddit (moderator)"


@pytest.mark.parametrize("body", [b"not json", b'{"kind": "Listing"}', b"[]"])
def test_unexpected_bodies_are_malformed(body):
    ctx = _ctx()
    (request,) = reddit.domain_requests(ctx, domain_check(ctx))
    with pytest.raises(MalformedResponse):
        reddit.parse(answer(request, body), ctx)
