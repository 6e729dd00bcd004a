"""Facebook: engagement per page with the token in a header only, the Graph's error
envelopes as explicit failures, and the fake's token rules over real HTTP."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from unsilo.signals import facebook
from unsilo.signals.fakes import FakeSignals, FakeSignalServer
from unsilo.signals.fakes.counts import EXPIRED_TOKEN
from unsilo.signals.source import SignalFailure, SignalTarget
from unsilo.social.errors import MalformedResponse

from .conftest import answer, domain_check
from .fetching import fetch

PAGE = "https://nordlysgoods.example/produkter/aurora-bordlampe"
TOKEN = "123456|s3cr3t-app-token"


@pytest.fixture
def ctx(ctx):
    return replace(ctx, secrets={facebook.TOKEN: TOKEN})


def _check(url: str = PAGE) -> SignalTarget:
    return SignalTarget("url", PAGE, url)


def _engagement(url: str = PAGE, **counts: int) -> bytes:
    fields = ("reaction_count", "comment_count", "share_count", "comment_plugin_count")
    return json.dumps({"engagement": {f: counts.get(f, 0) for f in fields}, "id": url}).encode()


def test_the_token_travels_in_a_header_never_in_the_url(ctx):
    assert facebook.domain_requests(ctx, domain_check(ctx)) == []
    (request,) = facebook.url_requests(ctx, _check())
    assert TOKEN not in request.url and "access_token" not in request.url
    assert request.headers == {"Authorization": f"Bearer {TOKEN}"}
    assert urlsplit(request.url).path == "/v25.0/"
    assert parse_qs(urlsplit(request.url).query) == {"id": [PAGE], "fields": ["engagement"]}
    assert {400, 403}.issubset(request.accept)
    assert facebook.SECRETS == ("UNSILO_FACEBOOK_TOKEN",)
    assert "UNSILO_FACEBOOK_TOKEN" in facebook.TOKEN_HINT


def test_the_sample_maps_reactions_comments_and_shares(ctx, sample):
    (request,) = facebook.url_requests(ctx, _check())
    body = sample("facebook-engagement.json").replace(b"https://www.facebook.com", PAGE.encode())
    (signal,) = facebook.parse(answer(request, body), ctx).signals
    assert signal.kind == "count" and signal.source == "facebook"
    assert signal.points == 514919172
    assert signal.comments == 68687082 + 1641  # comments plus the on-page plugin's
    assert signal.reposts == 975739682
    assert signal.item_id == f"facebook:{PAGE}" and signal.permalink is None


def test_the_sample_as_saved_is_another_url_and_not_this_page(ctx, sample):
    (request,) = facebook.url_requests(ctx, _check())
    step = facebook.parse(answer(request, sample("facebook-engagement.json")), ctx)
    assert step.signals == [] and "not this page" in (step.partial or "")


def test_no_engagement_is_answered_without_a_row(ctx):
    (request,) = facebook.url_requests(ctx, _check())
    step = facebook.parse(answer(request, _engagement()), ctx)
    assert step.signals == [] and step.partial is None


def test_the_graph_may_answer_for_the_www_spelling(ctx):
    (request,) = facebook.url_requests(ctx, _check())
    body = _engagement(PAGE.replace("https://", "http://www."), share_count=3)
    (signal,) = facebook.parse(answer(request, body), ctx).signals
    assert (signal.points, signal.comments, signal.reposts) == (0, 0, 3)


def test_the_no_token_sample_is_needs_token_and_stops(ctx, sample):
    (request,) = facebook.url_requests(ctx, _check())
    body = sample("facebook-engagement-error-no-token.json")
    with pytest.raises(SignalFailure) as failed:
        facebook.parse(answer(request, body, 400), ctx)
    assert failed.value.status == "needs token" and failed.value.stop_source
    assert "UNSILO_FACEBOOK_TOKEN" in failed.value.reason


@pytest.mark.parametrize(
    ("code", "status", "stops"),
    [
        (190, "needs token", True),
        (4, "rate limited", True),
        (17, "rate limited", True),
        (32, "rate limited", True),
        (613, "rate limited", True),
        (80001, "rate limited", True),
        (10, "refused", True),
        (200, "refused", True),
        (2, "source unavailable", False),
        (100, "refused", False),
    ],
)
def test_graph_error_codes_say_why_and_whether_to_stop(ctx, code, status, stops):
    (request,) = facebook.url_requests(ctx, _check())
    message = f"Error validating access token for {TOKEN}"  # even if echoed: scrubbed
    body = json.dumps({"error": {"message": message, "type": "OAuthException", "code": code}})
    with pytest.raises(SignalFailure) as failed:
        facebook.parse(answer(request, body.encode(), 400), ctx)
    assert (failed.value.status, failed.value.stop_source) == (status, stops)
    assert TOKEN not in failed.value.reason and f"Graph error {code}" in failed.value.reason


@pytest.mark.parametrize(
    "body",
    [b"nope", b"[]", b'{"id": "x"}', b'{"engagement": {"share_count": "7"}, "id": "x"}'],
)
def test_unexpected_bodies_are_malformed(ctx, body):
    (request,) = facebook.url_requests(ctx, _check())
    with pytest.raises(MalformedResponse):
        facebook.parse(answer(request, body), ctx)


def test_an_error_status_without_an_envelope_is_unknown(ctx):
    (request,) = facebook.url_requests(ctx, _check())
    with pytest.raises(SignalFailure) as failed:
        facebook.parse(answer(request, b"{}", 503), ctx)
    assert failed.value.status == "source unavailable"


@pytest.fixture
def fake():
    data = FakeSignals("https://nordlysgoods.example/")
    data.counts = {PAGE: {"facebook_reactions": 5, "facebook_comments": 2, "facebook_shares": 1}}
    with FakeSignalServer(data) as server:
        yield server


def test_the_fake_answers_with_a_bearer_token(fake, ctx):
    ctx = replace(ctx, endpoints=fake.endpoints)
    (request,) = facebook.url_requests(ctx, _check())
    (signal,) = facebook.parse(fetch(request), ctx).signals
    assert (signal.points, signal.comments, signal.reposts) == (5, 2, 1)
    assert all(TOKEN not in url for url in fake.requests)


@pytest.mark.parametrize(("token", "status"), [("", "needs token"), (EXPIRED_TOKEN, "needs token")])
def test_the_fake_refuses_a_missing_or_expired_token(fake, ctx, token, status):
    ctx = replace(ctx, endpoints=fake.endpoints, secrets={facebook.TOKEN: token} if token else {})
    (request,) = facebook.url_requests(ctx, _check())
    with pytest.raises(SignalFailure) as failed:
        facebook.parse(fetch(request), ctx)
    assert failed.value.status == status and failed.value.stop_source


def test_the_fake_fails_on_demand(fake, ctx):
    ctx = replace(ctx, endpoints=fake.endpoints)
    (request,) = facebook.url_requests(ctx, _check())
    fake.fail("/v25.0/", "403")
    with pytest.raises(SignalFailure) as failed:  # 403 is accepted: read, no envelope
        facebook.parse(fetch(request), ctx)
    assert failed.value.status == "refused" and "without a Graph error" in failed.value.reason
