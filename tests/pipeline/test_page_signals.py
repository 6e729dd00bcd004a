"""Signals in the models: where a share lands, found / none / unknown per source, the shared
and conversation levels, and a score that never disagrees with the ladder."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from unsilo.items import MetaProperty
from unsilo.pipeline.analyse import analyse

SITE = "https://shop.example"


@pytest.fixture
def analysed(duck: duckdb.DuckDBPyConnection, query: Any) -> Any:
    """Analyse a run; return (page_levels by path, page_signals by (path, source))."""

    def run(builder: Any) -> tuple[dict[str, dict], dict[tuple[str, str], dict]]:
        builder.load()
        analyse(duck, builder.run_id)
        levels = {
            r["url"].removeprefix(SITE): r
            for r in query("SELECT * FROM page_levels WHERE run_id = $r", r=builder.run_id)
        }
        signals = {
            (r["url_key"].removeprefix(SITE) or "/", r["source"]): r
            for r in query("SELECT * FROM page_signals WHERE run_id = $r", r=builder.run_id)
        }
        return levels, signals

    return run


def test_a_share_spelled_differently_still_lands_on_the_page(make_run: Any, analysed: Any):
    run = make_run()
    run.page("/")
    run.page("/mug")
    run.page("/lamp")
    run.signal("http://www.shop.example/mug/?utm_source=hn", points=12, comments=0)
    levels, signals = analysed(run)
    assert signals[("/mug", "hackernews")]["status"] == "found"
    assert signals[("/mug", "hackernews")]["points"] == 12
    # answered for the whole domain, nothing found: "none", not unknown
    assert signals[("/lamp", "hackernews")]["status"] == "none"
    assert levels["/mug"]["level"] == "shared" and levels["/mug"]["shared_on"] == ["hackernews"]
    assert levels["/lamp"]["level"] == "siloed"


def test_shares_of_old_urls_land_where_they_redirect_and_canonicalise(make_run: Any, analysed: Any):
    run = make_run()
    run.page("/")
    run.page("/new")
    run.page("/old", final="/new", hops=[("/old", 301)])
    run.page("/print", canonical=run.url("/new"), canonical_key=run.url("/new"))
    run.signal("/old", source="lemmy", item_id="a")
    run.signal("/print", source="lemmy", item_id="b")
    levels, signals = analysed(run)
    assert signals[("/new", "lemmy")]["shares"] == 2
    assert levels["/new"]["level"] == "shared"


def test_unknown_is_never_zero(make_run: Any, analysed: Any):
    run = make_run()
    run.page("/")
    run.page("/asked")
    run.answered("pinterest", scope="url", target=run.url("/asked"))
    run.answered("reddit", status="needs token", scope="domain")
    levels, signals = analysed(run)
    assert signals[("/asked", "pinterest")]["status"] == "none"
    skipped = signals[("/", "pinterest")]
    assert skipped["status"] == "unknown" and skipped["shares"] is None
    assert skipped["reason"] == "not asked in this run (per-URL budget)"
    reddit = signals[("/asked", "reddit")]
    assert (reddit["status"], reddit["reason"]) == ("unknown", "needs token")
    assert levels["/"]["unknown_sources"] == 2 and levels["/asked"]["unknown_sources"] == 1


def test_an_archive_capture_dates_a_page_but_does_not_share_it(make_run: Any, analysed: Any):
    run = make_run()
    run.page("/")
    run.signal("/", source="wayback", kind="capture", first_seen="2019-05-01T00:00:00+00:00")
    levels, signals = analysed(run)
    assert signals[("/", "wayback")]["status"] == "none"
    assert signals[("/", "wayback")]["first_captured"] == "2019-05-01T00:00:00+00:00"
    assert levels["/"]["level"] == "siloed"
    assert levels["/"]["first_captured"] == "2019-05-01T00:00:00+00:00"


def test_conversation_needs_people_talking_back(make_run: Any, analysed: Any):
    run = make_run()
    for path in ("/", "/quiet", "/talked", "/thread"):
        run.page(path)
    run.page("/reviewed", structured_data_types=["https://schema.org/AggregateRating"])
    run.signal("/quiet", points=3, comments=0)
    run.signal("/talked", comments=7)  # HN: comments are other people's
    run.signal("/thread", source="bluesky", comments=2, replies_by_others=0)  # only the author
    run.page("/reviews-only", structured_data_types=["https://schema.org/Review"])
    run.signal("/reviewed", source="lemmy")
    levels, _ = analysed(run)
    got = {p: r["level"] for p, r in levels.items()}
    assert got["/quiet"] == "shared" and got["/talked"] == "conversation"
    assert got["/thread"] == "shared"  # replies by the author alone are no conversation
    assert got["/reviewed"] == "conversation"  # shared, and reviews on the page
    assert got["/reviews-only"] == "siloed"  # reviews without any share: not on the ladder yet


def test_a_higher_level_never_scores_below_a_lower_one(make_run: Any, analysed: Any):
    run = make_run()
    card = [MetaProperty("twitter:card", "summary")]
    for n in range(20):
        path = f"/p{n}"
        run.page(path)
        if n % 2:  # every readiness detail the page can have
            run.shareable(path, share_links=run.share_link(path), twitter=card)
            run.profile(path, "mastodon", "shop", source="rel-me")
        if n % 3 == 0:
            run.signal(path, comments=n % 2)
    run.page("/")
    levels, _ = analysed(run)
    rank = {"siloed": 1, "shareable": 2, "share-ready": 3, "shared": 4, "conversation": 5}
    rows = sorted(levels.values(), key=lambda r: (rank[r["level"]], r["score"]))
    assert {r["level"] for r in rows} >= {"siloed", "share-ready", "shared", "conversation"}
    assert [r["score"] for r in rows] == sorted(r["score"] for r in rows)


def test_broken_bridges_name_what_leaks(make_run: Any, analysed: Any, query: Any):
    run = make_run()
    run.page("/")
    run.page("/fine")
    run.shareable("/fine")
    run.page("/gone", status=404, is_html=False)
    run.page("/moved", final="/", hops=[("/moved", 301)])
    run.page("/hidden", noindex=True)
    run.page("/bare")  # no share metadata
    run.page("/unshared-gone", status=410, is_html=False)
    for path in ("/fine", "/gone", "/moved", "/hidden", "/bare"):
        run.signal(path, permalink=f"https://news.example/item{path}")
    run.signal("/gone", source="lemmy", permalink="https://lemmy.example/post/1")
    run.signal("/unshared-gone", source="wayback", kind="capture")
    analysed(run)
    found = {
        r["url"].removeprefix(SITE): r["message"]
        for r in query("SELECT * FROM findings WHERE \"check\" = 'broken_bridge'")
    }
    assert found == {
        "/gone": "Shared 2 times (hackernews, lemmy) and now answers HTTP 404",
        "/moved": "Shared 1 time (hackernews) and now redirects to the home page",
        "/hidden": "Shared 1 time (hackernews) and is now noindex: search engines drop it",
        "/bare": "Shared 1 time (hackernews) and no longer renders a share preview "
        "(incomplete Open Graph or Twitter/X card)",
    }
    (row,) = query(
        "SELECT * FROM findings WHERE url = $u AND \"check\" = 'broken_bridge'", u=SITE + "/gone"
    )
    assert row["severity"] == "critical"
    assert row["detail"] == "https://lemmy.example/post/1 https://news.example/item/gone"
