"""Fresh answers of earlier runs are reused, not asked again — and shown as reused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.signals import carry_forward, fresh_answers, own_handles, signal_targets

SITE = "https://shop.example"


def _run(duck: duckdb.DuckDBPyConnection, run_id: str, site: str = "shop.example") -> None:
    duck.execute(
        "INSERT INTO runs (run_id, site, status) VALUES ($r, $s, 'complete')",
        {"r": run_id, "s": site},
    )


def _ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


def test_fresh_answers_are_reused_and_stale_or_foreign_ones_are_not(
    duck: duckdb.DuckDBPyConnection, make_run: Any, query: Any
) -> None:
    for run_id, site in (
        ("old", "shop.example"),
        ("other", "elsewhere.example"),
        ("new", "shop.example"),
    ):
        _run(duck, run_id, site)
    old = make_run("old")
    old.page("/")
    old.signal("/", checked_at=_ago(2), permalink="https://news.example/1")
    old.answered("pinterest", scope="url", target=SITE + "/", fetched_at=_ago(30))  # too old
    old.load()
    foreign = make_run("other")
    foreign.answered("lemmy", fetched_at=_ago(1))
    foreign.load()
    assert fresh_answers(duck, "new", 7) == {"hackernews": {"domain": True, "urls": []}}
    assert fresh_answers(duck, "new", 0) == {}

    new = make_run("new")
    new.page("/")
    new.load()
    assert carry_forward(duck, "new", 7) == 1
    assert carry_forward(duck, "new", 7) == 0  # idempotent: nothing copied twice
    (check,) = query("SELECT * FROM signal_checks WHERE run_id = 'new'")
    assert (check["source"], check["status"], check["reused_from"]) == (
        "hackernews",
        "reused",
        "old",
    )
    (share,) = query("SELECT * FROM url_signals WHERE run_id = 'new'")
    assert (share["status"], share["permalink"]) == ("reused", "https://news.example/1")
    analyse(duck, "new")
    (page,) = query("SELECT * FROM page_signals WHERE run_id = 'new' AND source = 'hackernews'")
    assert page["status"] == "found"


def test_an_answer_the_run_got_itself_is_not_overwritten(
    duck: duckdb.DuckDBPyConnection, make_run: Any, query: Any
) -> None:
    _run(duck, "old")
    _run(duck, "new")
    old = make_run("old")
    old.signal("/", checked_at=_ago(1))
    old.load()
    new = make_run("new")
    new.answered("hackernews", fetched_at=_ago(0))
    new.load()
    assert carry_forward(duck, "new", 7) == 0
    assert query("SELECT count(*) AS n FROM url_signals WHERE run_id = 'new'") == [{"n": 0}]


def test_targets_are_the_indexable_pages_most_linked_first(
    duck: duckdb.DuckDBPyConnection, make_run: Any
) -> None:
    run = make_run()
    for path in ("/", "/a", "/b", "/hidden"):
        run.page(path, noindex=path == "/hidden")
    run.link("/", "/b")
    run.link("/a", "/b")
    run.link("/", "/a")
    run.link("/b", "/hidden")
    run.profile("/", "bluesky", "Shop.Example", source="sameAs")
    run.load()
    analyse(duck, "r1")
    assert signal_targets(duck, "r1") == [SITE + "/", SITE + "/b", SITE + "/a"]
    assert own_handles(duck, "r1") == ["bluesky:shop.example"]


def test_freshness_is_judged_on_the_run_clock(
    duck: duckdb.DuckDBPyConnection, make_run: Any
) -> None:
    """A month-later run of the history demo asks again: a month-old answer is not fresh."""
    from unsilo.clock import run_clock

    _run(duck, "old")
    _run(duck, "new")
    old = make_run("old")
    old.answered("hackernews", fetched_at=_ago(1))
    old.load()
    assert fresh_answers(duck, "new", 7) == {"hackernews": {"domain": True, "urls": []}}
    with run_clock(datetime.now(UTC) + timedelta(days=31)):
        assert fresh_answers(duck, "new", 7) == {}
        assert carry_forward(duck, "new", 7) == 0
