"""The report's signals queries on given rows: broken bridges, most shared and discussed pages,
the sources asked, the run's signal summary and each shown page's lines per source."""

from __future__ import annotations

from tests.reports.test_report_sql import rows

SITE = "https://s.example"


def test_broken_bridges_keep_the_message_and_the_first_permalinks(con, db) -> None:
    run = db.run("r1", "2026-01-01 00:00:00")
    many = [f"https://news.example/item?id={i}" for i in range(5)]
    db.bridge(run, f"{SITE}/gone", "Shared 5 times (hackernews) and now answers HTTP 404", many)
    db.bridge(run, f"{SITE}/home-redirect", "Shared 1 time (lemmy) and now redirects", [])
    db.bridge("other-run", f"{SITE}/elsewhere", "Shared 1 time (lemmy) and now answers 500", [])
    db.findings(run, [db.Finding(f"{SITE}/t", "title_missing", "high")])
    got = rows(con, "report_broken_bridges", run_id=run, limit=10, permalinks=3)
    assert [(r["url"], r["permalinks"], r["permalink_count"]) for r in got] == [
        (f"{SITE}/gone", many[:3], 5),  # most shares linked first, three shown
        (f"{SITE}/home-redirect", [], 0),  # no permalink: an empty list, never ['']
    ]
    assert got[0]["message"] == "Shared 5 times (hackernews) and now answers HTTP 404"
    assert len(rows(con, "report_broken_bridges", run_id=run, limit=1, permalinks=3)) == 1


def test_signal_leaders_rank_by_shares_and_by_talk_backs(con, db) -> None:
    run = db.run("r1", "2026-01-01 00:00:00")
    db.levels(
        run,
        [
            db.Level(f"{SITE}/a", "shared", 70, shares=5, shared_on=["lemmy", "hackernews"]),
            db.Level(f"{SITE}/b", "conversation", 90, shares=2, talk_backs=9, comments=12),
            db.Level(f"{SITE}/c", "conversation", 85, shares=5, talk_backs=1, comments=None),
            db.Level(f"{SITE}/d", "shared", 60, shop_posts=3),  # only the shop's own posts
            db.Level(f"{SITE}/e"),  # never shared
        ],
    )
    got = rows(con, "report_signal_leaders", run_id=run, limit=10)
    shared = [(r["url"], r["shares"]) for r in got if r["ranking"] == "shared"]
    discussed = [(r["url"], r["talk_backs"]) for r in got if r["ranking"] == "discussed"]
    # tie on shares: more talk-backs first; a page without shares by sources is not listed
    assert shared == [(f"{SITE}/c", 5), (f"{SITE}/a", 5), (f"{SITE}/b", 2)]
    assert discussed == [(f"{SITE}/b", 9), (f"{SITE}/c", 1)]
    assert next(r for r in got if r["url"] == f"{SITE}/a")["shared_on"] == ["hackernews", "lemmy"]
    limited = rows(con, "report_signal_leaders", run_id=run, limit=1)
    assert [(r["ranking"], r["url"]) for r in limited] == [
        ("shared", f"{SITE}/c"),
        ("discussed", f"{SITE}/b"),
    ]


def test_signal_sources_answered_first_with_token_hints(con, db) -> None:
    run = db.run("r1", "2026-01-01 00:00:00")
    db.source(run, "reddit", "needs token", token_hint="REDDIT_TOKEN: per-page threads")
    db.source(run, "hackernews", "ok", requests=2, found=4)
    db.source(run, "lemmy", "reused", urls_asked=3, urls_wanted=10, urls_fresh=7, found=1)
    db.source("other", "bluesky", "ok")
    got = rows(con, "report_signal_sources", run_id=run)
    assert [(r["source"], r["answered"]) for r in got] == [
        ("hackernews", True),
        ("lemmy", True),
        ("reddit", False),
    ]
    assert got[2]["token_hint"] == "REDDIT_TOKEN: per-page threads"
    assert (got[1]["urls_asked"], got[1]["urls_wanted"], got[1]["urls_fresh"]) == (3, 10, 7)
    assert got[2]["requests"] == 0  # a missing count reads 0 requests, not NULL


def test_signal_summary_counts_sources_pages_and_bridges(con, db) -> None:
    run = db.run("r1", "2026-01-01 00:00:00")
    [off] = rows(con, "report_signal_summary", run_id=run)
    assert off == {
        "sources_asked": 0,
        "sources_answered": 0,
        "signals_found": 0,
        "pages_shared": 0,
        "pages_in_conversation": 0,
        "broken_bridges": 0,
    }
    db.source(run, "hackernews", "ok", found=3)
    db.source(run, "reddit", "rate limited")
    db.levels(run, [db.Level(f"{SITE}/a", shares=1), db.Level(f"{SITE}/b", talk_backs=2)])
    db.bridge(run, f"{SITE}/gone", "Shared 1 time (hackernews) and now answers HTTP 404", [])
    [on] = rows(con, "report_signal_summary", run_id=run)
    assert (on["sources_asked"], on["sources_answered"], on["signals_found"]) == (2, 1, 3)
    assert (on["pages_shared"], on["pages_in_conversation"], on["broken_bridges"]) == (1, 0, 1)


def test_page_signals_only_for_shown_pages_found_then_unknown_then_none(con, db) -> None:
    run = db.run("r1", "2026-01-01 00:00:00")
    db.levels(run, [db.Level(f"{SITE}/a"), db.Level(f"{SITE}/hidden")])
    db.page_signal(run, f"{SITE}/a", "wikipedia", "none")
    db.page_signal(run, f"{SITE}/a", "reddit", "unknown", reason="needs token")
    db.page_signal(
        run, f"{SITE}/a", "lemmy", "found", shares=2, comments=4, permalinks=["https://l/1", "x"]
    )
    db.page_signal(run, f"{SITE}/hidden", "lemmy", "none")
    got = rows(con, "report_page_signals", run_id=run, urls=[f"{SITE}/a"])
    assert [(r["source"], r["status"], r["reason"], r["permalink"]) for r in got] == [
        ("lemmy", "found", None, "https://l/1"),
        ("reddit", "unknown", "needs token", None),
        ("wikipedia", "none", None, None),
    ]
    assert got[1]["shares"] is None  # unknown stays unknown
