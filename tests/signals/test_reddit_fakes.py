"""The Reddit and Arctic Shift fakes over real HTTP, alone and with their adapters."""

from __future__ import annotations

import json

import pytest

from unsilo.signals import arctic_shift, reddit
from unsilo.signals.fakes import FakeShare, FakeSignals, FakeSignalServer
from unsilo.signals.fakes.reddit import FAKE_CLIENT, FAKE_TOKEN
from unsilo.signals.source import SignalContext, SignalRequest, SignalTarget

from .news_http import fetch, run

SHOP = "https://nordlysgoods.example"
LAMP = f"{SHOP}/produkter/aurora-bordlampe"
TOKEN = {"UNSILO_REDDIT_TOKEN": FAKE_TOKEN}
CLIENT = {"UNSILO_REDDIT_CLIENT_ID": FAKE_CLIENT[0], "UNSILO_REDDIT_CLIENT_SECRET": FAKE_CLIENT[1]}


@pytest.fixture
def data() -> FakeSignals:
    data = FakeSignals(SHOP)
    data.shares = [
        FakeShare("reddit", LAMP, "1v3k8qa", title="Lamps", points=142, comments=37),
        FakeShare("reddit", "http://www.nordlysgoods.example/produkter/aurora-bordlampe", "1old",
                  created_at=data.ago(400)),
        FakeShare("reddit", f"{SHOP}/blog/k?utm_source=reddit", "1blog", created_at=data.ago(5),
                  extra=(("community", "r/InteriorDesign"),)),
        FakeShare("reddit", "https://elsewhere.example/nordlysgoods", "1else"),
        FakeShare("arctic_shift", f"{SHOP}/produkter/gone", "1gone", created_at=data.ago(900)),
    ]  # fmt: skip
    return data


def _get(url: str, **headers: str):
    request = SignalRequest(url, "x", SignalTarget("domain", "x", "x"), headers=headers)
    status, answer_headers, body = fetch(request)
    return status, answer_headers, json.loads(body) if body else None


def _ctx(fake: FakeSignalServer, secrets: dict[str, str] | None = None) -> SignalContext:
    return SignalContext.for_site(SHOP, endpoints=fake.endpoints, secrets=secrets or {})


def test_reddit_search_needs_the_bearer_and_pages_with_after(data):
    with FakeSignalServer(data) as fake:
        url = f"{fake.url}/search?q=site:nordlysgoods.example&limit=1"
        assert _get(url)[0] == 401
        status, headers, body = _get(url, Authorization=f"bearer {FAKE_TOKEN}")
        assert status == 200 and headers["x-ratelimit-remaining"] == "99.0"
        (post,) = body["data"]["children"]
        assert post["data"]["name"] == "t3_1blog" and body["data"]["after"] == "t3_1blog"
        assert post["data"]["created"] - post["data"]["created_utc"] == 28_800
        _, _, more = _get(f"{url}&after=t3_1blog", Authorization=f"bearer {FAKE_TOKEN}")
        assert more["data"]["children"][0]["data"]["id"] == "1v3k8qa"


def test_reddit_info_ignores_case_and_www_but_not_the_scheme(data):
    with FakeSignalServer(data) as fake:
        auth = {"Authorization": f"bearer {FAKE_TOKEN}"}
        path = "nordlysgoods.example/produkter/aurora-bordlampe"
        _, _, body = _get(f"{fake.url}/api/info?url=https://WWW.{path}", **auth)
        assert [c["data"]["id"] for c in body["data"]["children"]] == ["1v3k8qa"]
        _, _, other = _get(f"{fake.url}/api/info?url=http://{path}", **auth)
        assert [c["data"]["id"] for c in other["data"]["children"]] == ["1old"]


def test_reddit_end_to_end_with_a_token_domain_and_page(data):
    with FakeSignalServer(data) as fake:
        ctx = _ctx(fake, TOKEN)
        outcome = run(reddit, ctx)
        assert {s.item_id for s in outcome.signals} == {"t3_1blog", "t3_1v3k8qa", "t3_1old"}
        blog = next(s for s in outcome.signals if s.item_id == "t3_1blog")
        assert blog.url_key == f"{SHOP}/blog/k" and blog.community == "r/InteriorDesign"
        page = run(reddit, ctx, SignalTarget("url", LAMP, LAMP))
        assert [s.item_id for s in page.signals] == ["t3_1v3k8qa"] and page.requests == 1


def test_reddit_client_credentials_fetch_one_token_a_run(data):
    with FakeSignalServer(data) as fake:
        outcome = run(reddit, _ctx(fake, CLIENT))
        assert len(outcome.signals) == 3 and outcome.failures == []
        assert fake.count("/api/v1/access_token") == 1 and fake.count("/search") == 1
        wrong = {**CLIENT, "UNSILO_REDDIT_CLIENT_SECRET": "nope"}
        refused = run(reddit, _ctx(fake, wrong))
        assert refused.failures[0].status == "needs token" and fake.count("/search") == 1


def test_reddit_expired_token_stops_the_source(data):
    with FakeSignalServer(data) as fake:
        outcome = run(reddit, _ctx(fake, {"UNSILO_REDDIT_TOKEN": "stale-tok-9"}))
        (failure,) = outcome.failures
        assert failure.status == "needs token" and failure.stop_source
        assert "expired or invalid" in failure.reason and "stale-tok-9" not in failure.reason


def test_arctic_shift_prefix_match_before_and_fields(data):
    with FakeSignalServer(data) as fake:
        base = f"{fake.url}/api/posts/search?url={SHOP}/produkter/&sort=desc"
        _, _, body = _get(f"{base}&fields=id,url")
        assert [r["id"] for r in body["data"]] == ["1v3k8qa", "1gone"]
        assert set(body["data"][0]) == {"id", "url"}
        stamp = data.shares[0].created_at.timestamp()
        _, _, older = _get(f"{base}&before={int(stamp)}")
        assert [r["id"] for r in older["data"]] == ["1gone"]
        assert _get(f"{fake.url}/api/posts/search?limit=5")[0] == 400


def test_arctic_shift_end_to_end_covers_http_and_www_and_lost_posts(data):
    data.shares += [
        FakeShare("arctic_shift", SHOP, "1home"),  # the bare home page, no slash
        FakeShare("arctic_shift", "https://nordlysgoods.example.evil.test/", "1evil"),
    ]
    with FakeSignalServer(data) as fake:
        outcome = run(arctic_shift, _ctx(fake))
        ids = {s.item_id for s in outcome.signals}
        assert ids == {"t3_1v3k8qa", "t3_1old", "t3_1blog", "t3_1gone", "t3_1home"}
        assert outcome.requests == 4 and outcome.failures == []
        fake.fail("/api/posts", "503")
        failed = run(arctic_shift, _ctx(fake))
        assert failed.signals == [] and len(failed.failures) == 4


def test_fake_shapes_use_the_samples_keys(data, sample):
    with FakeSignalServer(data) as fake:
        auth = {"Authorization": f"bearer {FAKE_TOKEN}"}
        _, _, listing = _get(f"{fake.url}/search?q=site:nordlysgoods.example", **auth)
        _, _, archived = _get(f"{fake.url}/api/posts/search?url={SHOP}/")
    real = json.loads(sample("reddit-search-site.json"))
    assert set(listing["data"]) == set(real["data"])
    assert set(listing["data"]["children"][0]["data"]) <= set(real["data"]["children"][0]["data"])
    real_rows = json.loads(sample("arcticshift-posts-search-url.json"))["data"]
    assert set(archived["data"][0]) == set(real_rows[0])
