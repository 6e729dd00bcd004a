"""Pinterest: one save count per page from the JSONP widget, zero as a real answer,
odd answers as malformed, and the fake's exact-URL matching over real HTTP."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from unsilo.signals import pinterest
from unsilo.signals.fakes import FakeSignals, FakeSignalServer
from unsilo.signals.source import SignalTarget
from unsilo.social.errors import MalformedResponse

from .conftest import answer, domain_check
from .fetching import Refused, fetch

PAGE = "https://nordlysgoods.example/produkter/nordsee-mug"


def _check(url: str = PAGE) -> SignalTarget:
    return SignalTarget("url", "https://nordlysgoods.example/produkter/nordsee-mug", url)


def test_one_request_per_page_with_the_url_as_crawled(ctx):
    assert pinterest.domain_requests(ctx, domain_check(ctx)) == []
    (request,) = pinterest.url_requests(ctx, _check())
    assert parse_qs(urlsplit(request.url).query) == {"url": [PAGE]}
    assert urlsplit(request.url).path == "/v1/urls/count.json"


def test_the_sample_count_is_a_saves_row_when_it_is_the_asked_page(ctx, sample):
    # the sample answers for examplegoods.com: not the shop's page, so not its count
    (request,) = pinterest.url_requests(ctx, _check())
    step = pinterest.parse(answer(request, sample("pinterest-count.jsonp")), ctx)
    assert step.signals == [] and "not this page" in (step.partial or "")
    body = sample("pinterest-count.jsonp").replace(
        b"https://examplegoods.com/products/nordsee-mug", b"http://www." + PAGE[8:].encode()
    )
    (signal,) = pinterest.parse(answer(request, body), ctx).signals
    assert signal.kind == "count" and signal.points == 12 and signal.source == "pinterest"
    assert signal.item_id == "pinterest:http://www.nordlysgoods.example/produkter/nordsee-mug"
    assert signal.target == _check().target and signal.comments is None


def test_zero_saves_is_answered_without_a_row(ctx):
    (request,) = pinterest.url_requests(ctx, _check())
    step = pinterest.parse(
        answer(request, f'receiveCount({{"url":"{PAGE}","count":0}})'.encode()), ctx
    )
    assert step.signals == [] and step.partial is None and step.next == []


@pytest.mark.parametrize(
    "body",
    [
        b'/**/ receiveCount({"count": 4});\n',
        b'{"url": "%s", "count": 4}' % PAGE.encode(),  # plain JSON
        b'cb({"count": 4})',
    ],
)
def test_the_wrapper_is_stripped_defensively(ctx, body):
    (request,) = pinterest.url_requests(ctx, _check())
    (signal,) = pinterest.parse(answer(request, body), ctx).signals
    assert signal.points == 4 and signal.url == PAGE  # no url echoed: the asked one


@pytest.mark.parametrize(
    "body",
    [
        b"receiveCount({})",
        b'receiveCount({"count": "12"})',
        b'receiveCount({"count": -1})',
        b'receiveCount({"count": true})',
        b"<html>blocked</html>",
        b"receiveCount(",
    ],
)
def test_odd_answers_are_malformed_never_zero(ctx, body):
    (request,) = pinterest.url_requests(ctx, _check())
    with pytest.raises(MalformedResponse):
        pinterest.parse(answer(request, body), ctx)


@pytest.fixture
def fake():
    data = FakeSignals("https://nordlysgoods.example/")
    data.counts = {PAGE: {"pinterest": 7}, f"{PAGE}/": {"pinterest": 2}}
    with FakeSignalServer(data) as server:
        yield server


def test_the_fake_counts_the_exact_url_only(fake, ctx):
    ctx = replace(ctx, endpoints=fake.endpoints)
    (request,) = pinterest.url_requests(ctx, _check())
    (signal,) = pinterest.parse(fetch(request), ctx).signals
    assert signal.points == 7  # not 7 + 2: the slash spelling is another URL to Pinterest
    (other,) = pinterest.url_requests(ctx, _check(PAGE.replace("https:", "http:")))
    assert pinterest.parse(fetch(other), ctx).signals == []  # asked, none: a real zero
    assert fake.count("/v1/urls/count.json") == 2


def test_the_fake_fails_on_demand(fake, ctx):
    ctx = replace(ctx, endpoints=fake.endpoints)
    (request,) = pinterest.url_requests(ctx, _check())
    fake.fail("/v1/urls", "429", retry_after="60")
    with pytest.raises(Refused) as refused:  # the driver's to handle: not in accept
        fetch(request)
    assert refused.value.status == 429
    fake.fail("/v1/urls", "malformed")
    with pytest.raises(MalformedResponse):
        pinterest.parse(fetch(request), ctx)
