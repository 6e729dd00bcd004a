"""The fediverse fakes over real HTTP, driven by the sources themselves (a tiny driver)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from unsilo.signals import bluesky, bluesky_search, lemmy
from unsilo.signals.fakes import FakeShare, FakeSignals, FakeSignalServer
from unsilo.signals.fakes.fediverse import EXPIRED_TOKEN, FAKE_LOGIN
from unsilo.signals.source import SignalContext, SignalFailure, SignalResponse, SignalTarget

SHOP = "https://shop.example"
LAMP = f"{SHOP}/lamp"
DID = "at://did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/app.bsky.feed.post"


def _fetch(request) -> SignalResponse:
    call = urllib.request.Request(
        request.url, data=request.body, headers=dict(request.headers), method=request.method
    )
    try:
        with urllib.request.urlopen(call, timeout=5) as reply:
            return SignalResponse(request, request.url, reply.status, reply.read())
    except urllib.error.HTTPError as exc:
        if exc.code not in request.accept:
            raise
        return SignalResponse(request, request.url, exc.code, exc.read())


def drive(source, ctx: SignalContext, check: SignalTarget):
    """Every request the source asks for, answered; its signals and partial reasons."""
    queue = source.domain_requests(ctx, check) + source.url_requests(ctx, check)
    signals, partial = [], []
    while queue:
        step = source.parse(_fetch(queue.pop(0)), ctx)
        signals += step.signals
        queue += step.next
        partial += [step.partial] if step.partial else []
    return signals, partial


def bsky(rkey: str, url: str, **facts) -> FakeShare:
    return FakeShare("bluesky", url, f"{DID}/{rkey}", title="Lampe", **facts)


@pytest.fixture
def fake():
    data = FakeSignals(SHOP)
    data.shares = [
        bsky("a", LAMP, author="ann.bsky.social", points=9, comments=3, replies_by_others=2),
        bsky("b", LAMP, extra=(("link", "card"),), by_shop=True),
        bsky("c", LAMP.replace("://", "://www."), extra=(("link", "facet"),), reposts=4),
        bsky("d", f"{LAMP}-saet"),  # another page: exact matching never finds it
        bsky("e", LAMP, extra=(("link", "text"),), author="bob.bsky.social"),
        FakeShare(
            "lemmy",
            LAMP,
            "https://lemmy.world/post/1",
            points=10,
            comments=4,
            extra=(("instance", "lemmy.world"), ("copies", "feddit.dk")),
        ),  # fmt: skip
        FakeShare("lemmy", f"{LAMP}/", "https://feddit.dk/post/2"),  # other spelling on 0.19
    ]
    data.lemmy_instances = {"lemmy.world": "1.0", "lemmy.ml": "private"}
    with FakeSignalServer(data) as server:
        yield server


def _ctx(fake, **kwargs) -> SignalContext:
    return SignalContext.for_site(SHOP, endpoints=fake.endpoints, **kwargs)


def test_bluesky_finds_both_spellings_reads_each_post_once_and_counts_others(fake):
    check = SignalTarget("url", LAMP, LAMP)
    signals, partial = drive(bluesky, _ctx(fake), check)
    by_rkey = {s.item_id[-1]: s for s in signals}
    assert sorted(by_rkey) == ["a", "b", "c"]  # e names the page in text only: no backlink
    assert by_rkey["a"].replies_by_others == 2 and by_rkey["a"].comments == 3
    assert by_rkey["b"].by_shop is True and by_rkey["c"].reposts == 4
    assert by_rkey["c"].url == "https://www.shop.example/lamp" and partial == []
    assert fake.count("/links/all") == 2 and fake.count("/xrpc/app.bsky.feed.getPostThread") == 1


def test_bluesky_keeps_nothing_for_an_unlinked_page_in_two_calls(fake):
    check = SignalTarget("url", f"{SHOP}/vase", f"{SHOP}/vase")
    assert drive(bluesky, _ctx(fake), check) == ([], [])
    assert len(fake.requests) == 2


def test_bluesky_search_logs_in_once_and_lists_shares_and_mentions(fake):
    user, password = FAKE_LOGIN
    secrets = {"UNSILO_BLUESKY_HANDLE": user, "UNSILO_BLUESKY_APP_PASSWORD": password}
    ctx = _ctx(fake, secrets=secrets)
    signals, _ = drive(bluesky_search, ctx, SignalTarget("domain", ctx.domain, ctx.domain))
    kinds = sorted((s.item_id[-1], s.kind) for s in signals)
    assert kinds == [("a", "share"), ("b", "share"), ("c", "share"), ("d", "share"),
                     ("e", "mention")]  # fmt: skip
    assert fake.count("/xrpc/com.atproto.server.createSession") == 1
    assert all(password not in r and "fake-access-jwt" not in r for r in fake.requests)


def test_bluesky_search_with_a_wrong_password_or_expired_token_needs_a_token(fake):
    secrets = {"UNSILO_BLUESKY_HANDLE": "x", "UNSILO_BLUESKY_APP_PASSWORD": "wrong"}
    ctx = _ctx(fake, secrets=secrets)
    check = SignalTarget("domain", ctx.domain, ctx.domain)
    with pytest.raises(SignalFailure, match="refused the login"):
        drive(bluesky_search, ctx, check)
    search = bluesky_search._search(ctx, check, {"Authorization": f"Bearer {EXPIRED_TOKEN}"},
                                    "shares", None, 1)  # fmt: skip
    with pytest.raises(SignalFailure) as failure:
        bluesky_search.parse(_fetch(search), ctx)
    assert failure.value.status == "needs token" and failure.value.stop_source


def test_lemmy_merges_copies_falls_back_to_v4_and_names_the_private_instance(fake):
    ctx = _ctx(fake, options={"instances": ["feddit.dk", "lemmy.world", "lemmy.ml"]})
    signals, partial = drive(lemmy, ctx, SignalTarget("url", LAMP, LAMP))
    (post,) = signals  # feddit.dk's copy and lemmy.world's origin are one; /lamp/ is missed
    assert post.item_id == "https://lemmy.world/post/1" and (post.points, post.comments) == (10, 4)
    assert partial == ["lemmy.ml is private (needs a login)"]
    assert (
        fake.count("/lemmy/lemmy.world/api/v3") == 1
        and fake.count("/lemmy/lemmy.world/api/v4") == 1
    )


def test_lemmy_all_instances_rate_limited_is_unknown_not_zero(fake):
    fake.data.lemmy_instances = {"feddit.dk": "rate-limited"}
    ctx = _ctx(fake, options={"instances": ["feddit.dk"]})
    with pytest.raises(SignalFailure) as failure:
        drive(lemmy, ctx, SignalTarget("url", LAMP, LAMP))
    assert failure.value.status == "rate limited"


def test_a_dropped_connection_is_the_drivers_to_handle(fake):
    fake.fail("/links/all", "drop")
    ctx = _ctx(fake)
    with pytest.raises(OSError):
        drive(bluesky, ctx, SignalTarget("url", LAMP, LAMP))
