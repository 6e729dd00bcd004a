"""The fake social APIs over real HTTP on 127.0.0.1: happy paths, paging, every failure."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from unsilo.social import bluesky, mastodon, youtube
from unsilo.social.errors import (
    MalformedResponse,
    failed_profile,
    outcome_from_exception,
    outcome_from_http,
)
from unsilo.social.fakes import FakeSocialServer
from unsilo.social.promo import is_promotional

SHOP = "http://127.0.0.1:8000"
HANDLE = "nordlysgoods.example"
INSTANCE = "mastodon.social"
LOOKUP = "/api/v1/accounts/lookup"


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET without raising on HTTP errors, as a spider sees the answer."""
    assert url.startswith("http://127.0.0.1:")  # tests never leave the machine
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSocialServer]:
    with FakeSocialServer(SHOP, post_count=40) as server:
        yield server


@pytest.fixture(autouse=True)
def healed(fake) -> Iterator[None]:
    yield
    fake.failures.clear()


def test_bluesky_profile_and_paged_feed(fake) -> None:
    status, _, body = fetch(fake.endpoints.bluesky_profile(HANDLE))
    assert status == 200
    profile = bluesky.profile_from_json(body)
    assert profile.website == SHOP and profile.api_status == "ok"
    posts, cursor = [], None
    for _ in range(10):
        _, _, body = fetch(fake.endpoints.bluesky_author_feed(HANDLE, cursor, limit=15))
        page, _, cursor = bluesky.posts_from_author_feed(body, HANDLE)
        posts += page
        if cursor is None:
            break
    assert len(posts) == 40 == len({p.post_id for p in posts})
    expected = fake.social.posts()
    assert [p.kind for p in posts] == [p.kind for p in expected]
    assert [p.links for p in posts] == [[p.link] for p in expected]  # byte-offset facets
    assert all(link.startswith(SHOP) for p in posts for link in p.links)
    assert [is_promotional(p.text) for p in posts] == [p.promotional for p in expected]
    assert {"reply", "self-thread", "repost"} <= {p.kind for p in posts}


def test_mastodon_lookup_statuses_and_link_paging(fake) -> None:
    _, _, body = fetch(fake.endpoints.mastodon_lookup(INSTANCE, "nordlysgoods"))
    account = mastodon.account_from_json(body, instance=INSTANCE)
    assert account.handle == "nordlysgoods@mastodon.social"
    assert account.verified_links == [SHOP]
    url: str | None = fake.endpoints.mastodon_statuses(INSTANCE, "109350112345678901", 16)
    posts, pages = [], 0
    while url:
        status, headers, body = fetch(url)
        assert status == 200
        page, _ = mastodon.statuses_from_json(body, account.handle)
        posts += page
        url = mastodon.next_page_url(headers.get("Link"))
        pages += 1
    assert pages == 3 and len(posts) == 40
    assert [p.kind for p in posts] == [p.kind for p in fake.social.posts()]
    replies = [p for p in posts if p.kind == "reply"]
    assert replies and all(p.is_reply_to_other and "noiob" not in str(p.links) for p in replies)


def test_youtube_page_to_feed(fake) -> None:
    _, _, page = fetch(fake.endpoints.youtube_channel_page("nordlysgoods"))
    channel_id = youtube.channel_id_from_page(page)
    assert channel_id == fake.social.youtube_channel_id
    _, _, body = fetch(fake.endpoints.youtube_feed(channel_id))
    feed = youtube.videos_from_feed(body, "nordlysgoods")
    assert feed.channel_id == channel_id  # although the feed level omits "UC"
    assert len(feed.posts) == youtube.FEED_LIMIT  # 40 posts, the feed shows 15
    assert all(link.startswith(SHOP) for p in feed.posts for link in p.links)


def test_unknown_profiles_are_not_found(fake) -> None:
    status, headers, _ = fetch(fake.endpoints.bluesky_profile("nobody.example"))
    assert outcome_from_http("bluesky", status, headers).api_status == "not found"
    status, headers, _ = fetch(fake.endpoints.mastodon_lookup(INSTANCE, "nobody"))
    assert outcome_from_http("mastodon", status, headers).api_status == "not found"


@pytest.mark.parametrize(
    ("path", "mode", "platform", "api_status"),
    [
        (LOOKUP, "401", "mastodon", "instance closed"),
        (LOOKUP, "404", "mastodon", "not found"),
        (LOOKUP, "500", "mastodon", "source unavailable"),
        ("/xrpc/app.bsky.actor.getProfile", "401", "bluesky", "needs token"),
        ("/xrpc/app.bsky.actor.getProfile", "404", "bluesky", "not found"),
        ("/xrpc/app.bsky.actor.getProfile", "503", "bluesky", "source unavailable"),
    ],
)
def test_http_failure_modes(fake, path, mode, platform, api_status) -> None:
    fake.fail(path, mode)
    url = (
        fake.endpoints.mastodon_lookup(INSTANCE, "nordlysgoods")
        if platform == "mastodon"
        else fake.endpoints.bluesky_profile(HANDLE)
    )
    status, headers, _ = fetch(url)
    assert status == int(mode)
    outcome = outcome_from_http(platform, status, headers)
    profile = failed_profile(platform, HANDLE, outcome)
    assert profile.api_status == api_status and profile.followers is None
    fake.fail(path, None)
    assert fetch(url)[0] == 200  # healed


def test_rate_limit_with_delta_seconds(fake) -> None:
    fake.fail("/xrpc/", "429", retry_after="42")
    status, headers, _ = fetch(fake.endpoints.bluesky_author_feed(HANDLE))
    outcome = outcome_from_http("bluesky", status, headers)
    assert (status, outcome.api_status, outcome.retry_after) == (429, "rate limited", 42.0)


def test_rate_limit_with_http_date(fake) -> None:
    now = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)
    fake.fail(LOOKUP, "429", retry_after=format_datetime(now + timedelta(minutes=5), usegmt=True))
    status, headers, _ = fetch(fake.endpoints.mastodon_lookup(INSTANCE, "nordlysgoods"))
    assert outcome_from_http("mastodon", status, headers, now=now).retry_after == 300.0


@pytest.mark.parametrize("mode", ["404", "500"])
def test_youtube_feed_outage(fake, mode) -> None:
    fake.fail("/feeds/videos.xml", mode)
    status, headers, _ = fetch(fake.endpoints.youtube_feed(fake.social.youtube_channel_id))
    outcome = outcome_from_http("youtube", status, headers, feed=True)
    assert status == int(mode) and outcome.api_status == "source unavailable"
    assert fetch(fake.endpoints.youtube_channel_page("nordlysgoods"))[0] == 200  # page still up


@pytest.mark.parametrize(
    ("path", "parse"),
    [
        ("/xrpc/app.bsky.feed.getAuthorFeed", lambda b: bluesky.posts_from_author_feed(b, "x")),
        ("/api/v1/accounts/", lambda b: mastodon.statuses_from_json(b, "x")),
        ("/feeds/videos.xml", lambda b: youtube.videos_from_feed(b, "x")),
    ],
)
def test_malformed_bodies(fake, path, parse) -> None:
    fake.fail(path, "malformed")
    urls = {
        "/xrpc/app.bsky.feed.getAuthorFeed": fake.endpoints.bluesky_author_feed(HANDLE),
        "/api/v1/accounts/": fake.endpoints.mastodon_statuses(INSTANCE, "109350112345678901"),
        "/feeds/videos.xml": fake.endpoints.youtube_feed(fake.social.youtube_channel_id),
    }
    status, _, body = fetch(urls[path])
    assert status == 200
    with pytest.raises(MalformedResponse) as caught:
        parse(body)
    assert outcome_from_exception("fake", caught.value).api_status == "malformed response"


def test_unknown_failure_mode_is_refused(fake) -> None:
    with pytest.raises(ValueError, match="unknown failure mode"):
        fake.fail(LOOKUP, "418")


def test_requests_are_recorded_and_url_needs_running_server(fake) -> None:
    fetch(fake.endpoints.youtube_channel_page("nordlysgoods"))
    assert fake.requests[-1] == "/@nordlysgoods"
    with pytest.raises(RuntimeError):
        _ = FakeSocialServer(SHOP).url


def test_fake_pinterest_feed_parses_as_pins() -> None:
    """The demo's Pinterest profile answers with an RSS feed the real adapter reads."""
    import urllib.request

    from unsilo.social.pinterest import pins_from_rss

    with FakeSocialServer("http://127.0.0.1:9") as fake:
        body = urllib.request.urlopen(f"{fake.url}/nordlysgoods/feed.rss", timeout=5).read()
    posts, links = pins_from_rss(body, "nordlysgoods")
    assert len(posts) == 12 and all(p.created_at for p in posts)
    assert any(link.url.startswith("http://127.0.0.1:9/") for link in links)
