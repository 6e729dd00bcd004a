"""Wikipedia: article citations by domain, one language after another, failures per
language, paging with a cap, and the fake's LinkSearch rules over real HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from unsilo.signals import wikipedia
from unsilo.signals.fakes import FakeShare, FakeSignals, FakeSignalServer
from unsilo.signals.source import SignalFailure, SignalStep
from unsilo.social.errors import MalformedResponse

from .conftest import answer, domain_check
from .fetching import fetch

SHOP = "https://nordlysgoods.example"


def _ctx(ctx, *languages: str, **changes):
    options = {"languages": list(languages)} if languages else {}
    return replace(ctx, options=options, **changes)


def _query(request) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.url).query)


def _links(*links: dict, more: str | None = None) -> bytes:
    body: dict = {"batchcomplete": True, "query": {"exturlusage": list(links)}}
    if more:
        body["continue"] = {"eucontinue": more, "continue": "-||"}
    return json.dumps(body).encode()


def _link(url: str, pageid: int = 1, ns: int = 0, title: str = "Keramik") -> dict:
    return {"pageid": pageid, "ns": ns, "title": title, "url": url}


def test_the_sample_gives_one_citation_per_article(ctx, sample):
    ctx = _ctx(ctx, "da")
    (request,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    query = _query(request)
    assert query["euquery"] == ["*.nordlysgoods.example"]  # the domain, www and subdomains
    assert "euprotocol" not in query  # empty: http and https
    assert query["eunamespace"] == ["0"] and query["eulimit"] == ["500"]
    assert query["maxlag"] == ["5"] and query["formatversion"] == ["2"]
    assert urlsplit(request.url).netloc == "da.wikipedia.org"
    assert "+https://" in request.headers["User-Agent"]  # Wikimedia wants a contact
    step = wikipedia.parse(answer(request, sample("wikipedia-exturlusage.json")), ctx)
    first, second = step.signals
    assert first.kind == "citation" and first.source == "wikipedia"
    assert first.item_id == "da:1187302" and first.title == "Opalglas"
    assert first.community == "da" and first.permalink == "https://da.wikipedia.org/wiki/Opalglas"
    assert first.url_key == "https://nordlysgoods.example/blog/saadan-blaeses-opalglas"
    assert second.permalink == "https://da.wikipedia.org/wiki/Dansk_keramik"
    assert step.next == [] and step.partial is None


def test_languages_are_asked_one_after_another_by_default(ctx):
    (english,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    assert urlsplit(english.url).netloc == "en.wikipedia.org"
    step = wikipedia.parse(answer(english, _links()), ctx)
    (danish,) = step.next
    assert urlsplit(danish.url).netloc == "da.wikipedia.org"
    final = wikipedia.parse(answer(danish, _links(_link(f"{SHOP}/a"))), ctx)
    assert [s.item_id for s in final.signals] == ["da:1"]
    assert final.next == [] and final.partial is None


def test_talk_pages_other_sites_and_repeats_are_not_citations(ctx):
    ctx = _ctx(ctx, "en")
    (request,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    body = _links(
        _link(f"{SHOP}/a", pageid=1),
        _link(f"{SHOP}/a", pageid=2, ns=1, title="Talk:Keramik"),  # miser mode lets it through
        _link("https://nordlysgoods.example.evil.test/a", pageid=3),
        _link("//www.nordlysgoods.example/b", pageid=4),  # protocol-relative
        _link(f"{SHOP}/a/", pageid=1),  # the same page again in the same article
    )
    step = wikipedia.parse(answer(request, body), ctx)
    assert [(s.item_id, s.url_key) for s in step.signals] == [
        ("en:1", "https://nordlysgoods.example/a"),
        ("en:4", "https://www.nordlysgoods.example/b"),
    ]


def test_continue_pages_on_until_the_cap_then_says_what_is_missing(ctx):
    ctx = _ctx(ctx, "en", "da")
    (request,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    step = wikipedia.parse(answer(request, _links(_link(f"{SHOP}/a"), more="x|1")), ctx)
    (more,) = step.next
    assert _query(more)["eucontinue"] == ["x|1"] and _query(more)["continue"] == ["-||"]
    assert "en.wikipedia.org" in more.url
    for _ in range(wikipedia.MAX_PAGES - 1):
        (more,) = wikipedia.parse(answer(more, _links(more="x|2")), ctx).next
    assert "da.wikipedia.org" in more.url  # the cap ends English, not the check
    final = wikipedia.parse(answer(more, _links()), ctx)
    assert final.partial == "en: listing cut off after 5,000 links"


def test_one_failing_language_leaves_the_others_answered(ctx):
    (english,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    assert 503 in english.accept and 429 in english.accept
    (danish,) = wikipedia.parse(answer(english, b"upstream", 503), ctx).next
    final = wikipedia.parse(answer(danish, _links(_link(f"{SHOP}/a"))), ctx)
    assert len(final.signals) == 1
    assert final.partial == "en: HTTP 503"


def test_when_every_language_fails_the_check_fails_naming_each(ctx):
    (english,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    (danish,) = wikipedia.parse(answer(english, b"", 502), ctx).next
    with pytest.raises(SignalFailure) as failed:
        wikipedia.parse(answer(danish, b"", 500), ctx)
    assert failed.value.status == "source unavailable" and not failed.value.stop_source
    assert failed.value.reason == "en: HTTP 502; da: HTTP 500"


def test_a_rate_limit_stops_every_language_it_is_global(ctx):
    (english,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    with pytest.raises(SignalFailure) as failed:
        wikipedia.parse(answer(english, b"", 429, **{"Retry-After": "120"}), ctx)
    assert failed.value.status == "rate limited" and failed.value.stop_source
    assert failed.value.retry_after == 120.0
    assert "da: not asked" in failed.value.reason


def test_a_rate_limit_after_an_answer_is_partial_not_a_failure(ctx):
    ctx = _ctx(ctx, "en", "da", "sv")
    (english,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    (danish,) = wikipedia.parse(answer(english, _links(_link(f"{SHOP}/a"))), ctx).next
    step = wikipedia.parse(answer(danish, b"", 429), ctx)
    assert step.next == []
    assert step.partial == "da: HTTP 429 (Wikimedia API rate limit); sv: not asked"


def test_maxlag_and_api_errors_read_from_the_envelope(ctx):
    ctx = _ctx(ctx, "da")
    (request,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    lag = {"error": {"code": "maxlag", "info": "Waiting for 10.64.0.1: 6 seconds lagged."}}
    with pytest.raises(SignalFailure) as failed:
        wikipedia.parse(answer(request, json.dumps(lag).encode(), **{"Retry-After": "5"}), ctx)
    assert failed.value.status == "source unavailable" and failed.value.retry_after == 5.0
    bad = {"error": {"code": "badvalue", "info": "Unrecognized value for parameter list."}}
    with pytest.raises(SignalFailure, match="API error badvalue"):
        wikipedia.parse(answer(request, json.dumps(bad).encode()), ctx)


def test_a_user_agent_refusal_stops_the_source(ctx):
    (request,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    with pytest.raises(SignalFailure) as failed:
        wikipedia.parse(answer(request, b"Please set a user-agent", 403), ctx)
    assert failed.value.status == "refused" and failed.value.stop_source


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"query": {"exturlusage": {}}}', b'{"warnings": {}}'],
)
def test_unexpected_bodies_are_malformed(ctx, body):
    ctx = _ctx(ctx, "da")
    (request,) = wikipedia.domain_requests(ctx, domain_check(ctx))
    with pytest.raises(MalformedResponse):
        wikipedia.parse(answer(request, body), ctx)


@pytest.mark.parametrize("languages", ["da", ["DA"], [], ["da", 3]])
def test_bad_language_lists_are_refused_with_an_example(ctx, languages):
    with pytest.raises(ValueError, match="codes like"):
        wikipedia.domain_requests(replace(ctx, options={"languages": languages}), domain_check(ctx))


def _shares() -> list[FakeShare]:
    def cite(url: str, pageid: int, language: str, ns: str = "0") -> FakeShare:
        extra = (("language", language), ("ns", ns))
        return FakeShare("wikipedia", url, str(pageid), title=f"Artikel {pageid}", extra=extra)

    return [
        cite("https://nordlysgoods.example/a", 11, "da"),
        cite("http://www.nordlysgoods.example/b", 12, "da"),
        cite("https://nordlysgoods.example/c", 13, "da", ns="2"),  # a user page
        cite("https://shop.nordlysgoods.example/d", 14, "da"),
        cite("https://nordlysgoods.example.net/e", 15, "da"),  # another site
        cite("https://nordlysgoods.example/f", 21, "en"),
    ]


def _run(ctx, requests) -> tuple[list, list[str | None]]:
    """Drive requests through the fake as the spider would: signals and partials."""
    signals, partials, queue = [], [], list(requests)
    while queue:
        step: SignalStep = wikipedia.parse(fetch(queue.pop(0)), ctx)
        signals += step.signals
        partials.append(step.partial)
        queue += step.next
    return signals, partials


@pytest.fixture
def fake():
    with FakeSignalServer(FakeSignals(f"{SHOP}/", _shares())) as server:
        yield server


def test_the_fake_pages_languages_and_linksearch_rules_over_http(fake, ctx, monkeypatch):
    monkeypatch.setattr(wikipedia, "PAGE_LINKS", 2)  # page the fake's four Danish links
    ctx = _ctx(ctx, "da", "en", endpoints=fake.endpoints)
    signals, partials = _run(ctx, wikipedia.domain_requests(ctx, domain_check(ctx)))
    assert sorted(s.item_id for s in signals) == ["da:11", "da:12", "da:14", "en:21"]
    assert partials[-1] is None
    assert fake.count("/wiki/da/w/api.php") == 2 and fake.count("/wiki/en/w/api.php") == 1


def test_the_fake_keeps_a_bare_host_query_to_that_host(fake):
    query = "list=exturlusage&euquery=nordlysgoods.example"
    status, body = _get(fake, f"/wiki/da/w/api.php?{query}", agent=wikipedia.USER_AGENT)
    urls = [link["url"] for link in json.loads(body)["query"]["exturlusage"]]
    assert status == 200 and urls == ["https://nordlysgoods.example/a", SHOP + "/c"]


def test_the_fake_refuses_a_library_user_agent_and_fails_on_demand(fake, ctx):
    ctx = _ctx(ctx, "en", "da", endpoints=fake.endpoints)
    assert _get(fake, "/wiki/da/w/api.php?list=exturlusage")[0] == 403
    fake.fail("/wiki/en/", "503")
    signals, partials = _run(ctx, wikipedia.domain_requests(ctx, domain_check(ctx)))
    assert {s.community for s in signals} == {"da"} and partials[-1] == "en: HTTP 503"


def _get(fake, path: str, agent: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        fake.url + path, headers={"User-Agent": agent} if agent else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
