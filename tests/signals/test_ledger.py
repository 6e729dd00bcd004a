"""The signals bookkeeping: an unanswered question is never "none found"."""

from __future__ import annotations

from types import SimpleNamespace

from unsilo.signals.ledger import SourceRun
from unsilo.signals.source import SignalFailure, SignalRequest, SignalTarget

MODULE = SimpleNamespace(SECRETS=(), DELAY=0)


def _page(n: int) -> SignalTarget:
    return SignalTarget("url", f"https://shop.example/p{n}", f"https://shop.example/p{n}")


def _ask(run: SourceRun, check: SignalTarget, calls: int = 1) -> list[SignalRequest]:
    requests = [SignalRequest(f"{check.url}?call={i}", "search", check) for i in range(calls)]
    run.ask(check, requests)
    return requests


def test_calls_go_out_one_window_at_a_time_and_rows_follow_answers():
    run = SourceRun("src", MODULE, window=1)
    first, second = _page(1), _page(2)
    _ask(run, first)
    _ask(run, second)
    (call,) = run.next_calls()
    assert call.check == first and run.next_calls() == []  # the window is full
    run.answered(call, found=2, partial=None)
    (row,) = run.finished_checks(None)
    assert (row.target, row.status, row.found, row.requests) == (first.target, "ok", 2, 1)
    (call,) = run.next_calls()
    run.answered(call, found=0, partial=None)
    (row,) = run.finished_checks(None)
    assert (row.status, row.found) == ("ok", 0)  # answered without shares: "none found"
    assert run.over and run.summary(None, None).status == "ok"


def test_a_stopping_failure_leaves_the_unasked_pages_without_rows():
    run = SourceRun("src", MODULE)
    for n in range(4):
        _ask(run, _page(n))
    run.urls_wanted = 4
    (call,) = run.next_calls()
    run.failed(call, SignalFailure("rate limited", "HTTP 429", stop_source=True))
    (row,) = run.finished_checks(None)
    assert (row.status, row.reason) == ("rate limited", "HTTP 429")
    assert run.next_calls() == [] and run.over  # the other three: no row, so unknown
    summary = run.summary(None, None)
    assert summary.status == "rate limited"
    # one page was asked; the three dropped from the queue never were
    assert summary.reason == "HTTP 429; stopped after 1 of 4 pages"


def test_a_failed_follow_up_keeps_the_share_and_makes_the_question_partial():
    run = SourceRun("src", MODULE)
    domain = SignalTarget("domain", "shop.example", "shop.example")
    (listing,) = _ask(run, domain)
    run.next_calls()
    follow = SignalRequest("item", "item", domain, carry=("share",), follow_up="points")
    run.answered(listing, found=0, partial=None)
    run.follow([follow])
    assert run.next_calls() == [follow]
    run.failed(follow, SignalFailure("source unavailable", "HTTP 500"), kept=1)
    (row,) = run.finished_checks(None)
    assert (row.status, row.found) == ("partial", 1)
    assert row.reason == "points unknown: HTTP 500"


def test_one_failed_call_of_several_makes_a_partial_answer():
    run = SourceRun("src", MODULE, window=2)
    page = _page(1)
    _ask(run, page, calls=2)
    one, two = run.next_calls()
    run.answered(one, found=1, partial=None)
    run.failed(two, SignalFailure("refused", "instance is private"))
    (row,) = run.finished_checks(None)
    assert (row.status, row.found) == ("partial", 1)
    assert row.reason == "refused: instance is private"


def test_the_request_cap_stops_asking_and_says_so():
    run = SourceRun("src", MODULE, window=5, max_requests=2)
    for n in range(4):
        _ask(run, _page(n))
    calls = run.next_calls()
    assert len(calls) == 2
    for call in calls:
        run.answered(call, found=0, partial=None)
    assert run.next_calls() == []
    assert len(run.finished_checks(None)) == 2 and run.over
    summary = run.summary(None, None)
    assert summary.status == "partial" and "request budget of 2 spent" in summary.reason


def test_pages_over_the_budget_make_the_source_partial():
    run = SourceRun("src", MODULE)
    run.urls_wanted, run.urls_queued, run.urls_asked, run.urls_fresh = 10, 3, 3, 2
    summary = run.summary(None, "hint")
    assert (summary.status, summary.reason) == (
        "partial",
        "5 pages over the per-URL budget not asked",
    )
    assert summary.token_hint == "hint"


def test_a_source_that_is_down_is_asked_no_more_after_three_calls_in_a_row():
    run = SourceRun("src", MODULE)
    for n in range(10):
        _ask(run, _page(n))
    down = SignalFailure("source unavailable", "src unreachable: DNSLookupError")
    for _ in range(3):
        (call,) = run.next_calls()
        run.failed(call, down)
    assert run.next_calls() == []
    assert len(run.finished_checks(None)) == 3  # the other seven stay unknown, without rows
    assert run.over
    summary = run.summary(None, None)
    assert summary.status == "source unavailable"
    assert "3 calls in a row failed" in summary.reason


def test_a_source_that_goes_down_counts_only_the_pages_it_really_asked():
    run = SourceRun("src", MODULE)
    for n in range(10):
        _ask(run, _page(n), calls=2)  # two calls a page: a page half asked is asked
    run.urls_wanted = 10
    assert (run.urls_queued, run.urls_asked) == (10, 0)  # queued is not asked
    down = SignalFailure("source unavailable", "src unreachable: DNSLookupError")
    for _ in range(3):
        (call,) = run.next_calls()
        run.failed(call, down)
    assert run.next_calls() == [] and run.urls_asked == 2
    run.finished_checks(None)
    summary = run.summary(None, None)
    assert summary.urls_asked == 2
    assert summary.reason.endswith("stopped after 2 of 10 pages")


def test_pages_dropped_at_the_request_cap_are_not_counted_as_asked():
    run = SourceRun("src", MODULE, window=5, max_requests=2)
    for n in range(4):
        _ask(run, _page(n))
    run.urls_wanted = 4
    for call in run.next_calls():
        run.answered(call, found=0, partial=None)
    assert run.next_calls() == [] and len(run.finished_checks(None)) == 2 and run.over
    summary = run.summary(None, None)
    assert (summary.urls_asked, summary.status) == (2, "partial")
    assert summary.reason == "request budget of 2 spent: 2 pages not asked"
