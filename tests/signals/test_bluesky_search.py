"""Bluesky search with a login: one session, two domain listings, the token never leaked."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from unsilo.signals import bluesky_search
from unsilo.signals.source import SignalContext, SignalFailure
from unsilo.social.errors import MalformedResponse

from .conftest import answer, domain_check

SECRETS = {
    "UNSILO_BLUESKY_HANDLE": "shop.bsky.social",
    "UNSILO_BLUESKY_APP_PASSWORD": "abcd-efgh-ijkl-mnop",
}


@pytest.fixture
def shop() -> SignalContext:
    """The shop of the searchPosts sample, logged in."""
    return SignalContext.for_site("https://examplegoods.com/", secrets=SECRETS)


def _listings(shop):
    (login,) = bluesky_search.domain_requests(shop, domain_check(shop))
    body = json.dumps({"did": "did:plc:x", "accessJwt": "jwt-1", "refreshJwt": "r"}).encode()
    return bluesky_search.parse(answer(login, body), shop).next


def test_the_login_posts_json_and_no_repr_shows_the_password(shop):
    (login,) = bluesky_search.domain_requests(shop, domain_check(shop))
    assert login.method == "POST" and login.url.endswith("com.atproto.server.createSession")
    assert json.loads(login.body)["password"] == "abcd-efgh-ijkl-mnop"
    assert "abcd-efgh" not in repr(login) and "abcd-efgh" not in login.url
    assert bluesky_search.url_requests(shop, domain_check(shop)) == []


def test_without_secrets_nothing_is_asked():
    bare = SignalContext.for_site("https://examplegoods.com/")
    assert bluesky_search.domain_requests(bare, domain_check(bare)) == []


def test_the_session_token_travels_only_in_the_authorization_header(shop):
    shares, mentions = _listings(shop)
    for request in (shares, mentions):
        assert request.headers["Authorization"] == "Bearer jwt-1"
        assert "jwt-1" not in request.url and "jwt-1" not in repr(request)
        assert "jwt-1" not in json.dumps(dict(request.data))
    assert parse_qs(urlsplit(shares.url).query)["domain"] == ["examplegoods.com"]
    assert "domain" not in parse_qs(urlsplit(mentions.url).query)


def test_shares_are_linked_posts_and_mentions_only_name_the_shop(shop, sample):
    shares, mentions = _listings(shop)
    step = bluesky_search.parse(answer(shares, sample("bluesky-searchPosts.json")), shop)
    assert step.signals == []  # the one linking post has a reply: its thread is asked
    (thread,) = step.next
    (mug,) = thread.carry
    assert mug.kind == "share" and mug.url == "https://examplegoods.com/products/nordsee-mug"
    assert (mug.points, mug.reposts, mug.author) == (24, 3, "ceramicsfan.bsky.social")
    assert "Authorization" not in thread.headers  # threads are public
    step = bluesky_search.parse(answer(mentions, sample("bluesky-searchPosts.json")), shop)
    (question,) = [r.carry[0] for r in step.next]
    assert question.kind == "mention" and question.url_key == "https://examplegoods.com/"
    assert question.author == "mira-k.bsky.social"


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, b'{"error": "ExpiredToken", "message": "Token has expired"}'),
        (401, b"{}"),
        (403, b'{"error": "Forbidden"}'),
    ],  # fmt: skip
)
def test_an_expired_or_refused_session_stops_the_source(shop, status, body):
    shares, _ = _listings(shop)
    with pytest.raises(SignalFailure) as failure:
        bluesky_search.parse(answer(shares, body, status), shop)
    assert failure.value.status == "needs token" and failure.value.stop_source


def test_a_wrong_password_is_needs_token_without_quoting_the_server(shop):
    (login,) = bluesky_search.domain_requests(shop, domain_check(shop))
    body = b'{"error": "AuthenticationRequired", "message": "Invalid identifier or password"}'
    with pytest.raises(SignalFailure) as failure:
        bluesky_search.parse(answer(login, body, 401), shop)
    assert failure.value.stop_source and "AuthenticationRequired" in failure.value.reason
    assert "abcd" not in failure.value.reason


def test_listings_page_by_cursor_and_are_cut_off_with_the_total(shop):
    shares, _ = _listings(shop)
    request = shares
    for page in range(bluesky_search.MAX_PAGES):
        body = json.dumps({"posts": [], "cursor": f"c{page}", "hitsTotal": 4321}).encode()
        step = bluesky_search.parse(answer(request, body), shop)
        if page < bluesky_search.MAX_PAGES - 1:
            (request,) = step.next
            assert parse_qs(urlsplit(request.url).query)["cursor"] == [f"c{page}"]
            assert request.headers["Authorization"] == "Bearer jwt-1"
    assert step.next == [] and "1,000 of about 4,321" in (step.partial or "")


@pytest.mark.parametrize("body", [b'{"feed": []}', b"nope", b'{"accessJwt": 5}'])
def test_unexpected_bodies_are_malformed(shop, body):
    (login,) = bluesky_search.domain_requests(shop, domain_check(shop))
    shares, _ = _listings(shop)
    with pytest.raises(MalformedResponse):
        bluesky_search.parse(answer(login if b"accessJwt" in body else shares, body), shop)
