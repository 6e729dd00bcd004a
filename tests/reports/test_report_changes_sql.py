"""The page-level change models (``report_changes_*``) on two small runs: what moved, what is
new, fixed, gone or newly shared, on the comparison's basis, and nothing at all against a
pruned run (its per-page rows are gone: every page would otherwise look new)."""

from __future__ import annotations

import pytest

from tests.reports.conftest import Health, add_social_tables, insert_health
from unsilo.pipeline.comparison import Comparison
from unsilo.pipeline.queries import run_sql
from unsilo.reports.changes import CHANGE_MODELS, PROFILE_EXPORT, change_params

OLD, NEW = "2026-10-01T000000Z-aaaaaa", "2026-11-01T000000Z-cccccc"
PAGE_LEVEL_MODELS = [model for name, (model, _) in CHANGE_MODELS.items() if name != PROFILE_EXPORT]


def rows(con, model: str, *, common: bool = False, previous: str | None = OLD, **extra) -> list:
    """Every row of ``model`` (``limit``: None), with the parameters that model names."""
    comparison = Comparison(previous, None, common, ())  # type: ignore[arg-type]
    cursor = run_sql(con, model, **change_params(model, comparison, NEW, examples=2, **extra))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


@pytest.fixture
def points(con) -> list[str]:
    """The ladder's detail points as page_levels lists them when earned."""
    return [
        r[0]
        for r in con.execute("select earned_text from level_points order by position").fetchall()
    ]


@pytest.fixture
def two_runs(db) -> None:
    db.run(OLD, "2026-10-01 02:00:00", pages=5)
    db.run(NEW, "2026-11-01 02:00:00", pages=5)


def test_level_moves_name_the_points_gained_and_lost(con, db, two_runs, points) -> None:
    L = db.Level
    db.levels(
        OLD,
        [
            L("https://s.example/up", "siloed", 3, earned=["Level Siloed (+0)", points[0]]),
            L("https://s.example/down", "shared", 70, earned=["Level Shared (+64)", points[4]]),
            L("https://s.example/same", "siloed", 3, earned=[points[0]]),
            L("https://s.example/gone", "siloed", 0),
        ],
    )
    db.levels(
        NEW,
        [
            L("https://s.example/up", "shareable", 23, earned=["Level Shareable", *points[:3]]),
            L("https://s.example/down", "share-ready", 50, earned=["Level Share-ready (+48)"]),
            L("https://s.example/same", "siloed", 3, earned=[points[0]]),
            L("https://s.example/new", "shared", 64),
        ],
    )  # fmt: skip
    got = rows(con, "report_changes_levels")
    assert [(r["url"], r["direction"]) for r in got] == [
        ("https://s.example/down", "down"),  # value leaking leads
        ("https://s.example/up", "up"),
    ]
    down, up = got
    assert (down["previous_level"], down["level"], down["previous_score"], down["score"]) == (
        "shared", "share-ready", 70, 50
    )  # fmt: skip
    assert (down["points_gained"], down["points_lost"]) == ([], [points[4]])
    assert (up["points_gained"], up["points_lost"]) == (points[1:3], [])
    # the basis does not matter: only pages both runs scored can move
    assert rows(con, "report_changes_levels", common=True) == got
    assert len(rows(con, "report_changes_levels", limit=1)) == 1


def test_findings_by_check_count_new_fixed_and_still_open(con, db, two_runs) -> None:
    F = db.Finding
    db.crawled(OLD, ["https://s.example/a", "https://s.example/b"])
    db.crawled(NEW, ["https://s.example/a", "https://s.example/b", "https://s.example/c"])
    db.findings(
        OLD,
        [F("https://s.example/a", "title_missing", "high"),
         F("https://s.example/b", "title_missing", "high"),
         F("https://s.example/a", "description_missing", "medium"),
         F("https://s.example/b", "status_5xx", "critical")],
    )  # fmt: skip
    db.findings(
        NEW,
        [F("https://s.example/a", "title_missing", "high"),
         F("https://s.example/c", "title_missing", "high"),  # the old run never crawled /c
         F("https://s.example/b", "description_missing", "medium"),
         F("https://s.example/a", "made_up_check", None),
         F("https://s.example/b", "status_5xx", "critical")],
    )  # fmt: skip
    got = {r["check"]: r for r in rows(con, "report_changes_findings")}
    counts = {c: (r["new"], r["fixed"], r["still_open"]) for c, r in got.items()}
    assert counts == {
        "title_missing": (1, 1, 1),
        "description_missing": (1, 1, 0),  # moved from /a to /b: one fixed, one new
        "made_up_check": (1, 0, 0),
        "status_5xx": (0, 0, 1),
    }
    assert got["title_missing"]["new_examples"] == ["https://s.example/c"]
    assert got["title_missing"]["fixed_examples"] == ["https://s.example/b"]
    assert got["made_up_check"]["severity"] == "unknown"  # kept, not dropped
    assert list(got) == [  # changed checks first, most severe first; then those only still open
        "title_missing", "description_missing", "made_up_check", "status_5xx"
    ]  # fmt: skip
    common = {r["check"]: (r["new"], r["fixed"], r["still_open"]) for r in
              rows(con, "report_changes_findings", common=True)}  # fmt: skip
    assert common["title_missing"] == (0, 1, 1)  # /c: only this run crawled it, not "new"
    by_url = rows(con, "report_changes_finding_urls")
    assert sorted((r["change"], r["check"], r["url"]) for r in by_url) == [  # not still open
        ("fixed", "description_missing", "https://s.example/a"),
        ("fixed", "title_missing", "https://s.example/b"),
        ("new", "description_missing", "https://s.example/b"),
        ("new", "made_up_check", "https://s.example/a"),
        ("new", "title_missing", "https://s.example/c"),
    ]
    assert ("new", "title_missing", "https://s.example/c") not in {
        (r["change"], r["check"], r["url"])
        for r in rows(con, "report_changes_finding_urls", common=True)
    }


def test_pages_new_and_gone_are_uncertain_when_not_like_for_like(con, db, two_runs) -> None:
    db.crawled(OLD, ["https://s.example/a", "https://s.example/old"])
    db.crawled(NEW, ["https://s.example/a", "https://s.example/fresh"])
    db.crawled(NEW, ["https://s.example/broken"], status=404)
    db.levels(NEW, [db.Level("https://s.example/fresh", "shareable", 20)])
    got = rows(con, "report_changes_pages")
    assert [(r["change"], r["url"], r["level"], r["certain"]) for r in got] == [
        ("new", "https://s.example/fresh", "shareable", True),
        ("new", "https://s.example/broken", None, True),  # indexable pages first
        ("gone", "https://s.example/old", None, True),
    ]
    assert got[1]["status"] == 404
    assert {r["certain"] for r in rows(con, "report_changes_pages", common=True)} == {False}


def test_only_bridges_broken_since_the_previous_run_are_new(con, db, two_runs) -> None:
    db.crawled(OLD, ["https://s.example/was-ok", "https://s.example/old-break"])
    db.crawled(NEW, ["https://s.example/was-ok", "https://s.example/old-break"])
    db.crawled(NEW, ["https://s.example/unseen"])
    db.levels(OLD, [db.Level("https://s.example/was-ok", "shared", 70, shares=3)])
    db.bridge(OLD, "https://s.example/old-break", "Shared once and now answers 404", [])
    for url in (
        "https://s.example/was-ok",
        "https://s.example/old-break",
        "https://s.example/unseen",
    ):
        db.bridge(NEW, url, "Shared twice, now 410", ["https://l.example/1", "https://l.example/2"])
    got = rows(con, "report_changes_bridges")
    assert [(r["url"], r["previous_level"], r["previous_status"]) for r in got] == [
        ("https://s.example/unseen", None, None),
        ("https://s.example/was-ok", "shared", 200),
    ]
    assert got[0]["permalink_count"] == 2
    assert [r["url"] for r in rows(con, "report_changes_bridges", common=True)] == [
        "https://s.example/was-ok"  # /unseen: the previous run never fetched it
    ]


def test_pages_newly_shared_or_discussed(con, db, two_runs) -> None:
    L = db.Level
    db.levels(
        OLD,
        [L("https://s.example/quiet"),
         L("https://s.example/shared", "shared", 64, shares=2, shared_on=["lemmy"]),
         L("https://s.example/talk", "conversation", 80, shares=1, talk_backs=2)],
    )  # fmt: skip
    db.levels(
        NEW,
        [L("https://s.example/quiet", "shared", 64, shares=1, shared_on=["hackernews"]),
         L("https://s.example/shared", "conversation", 80, shares=3, talk_backs=1,
           shared_on=["lemmy", "bluesky"]),
         L("https://s.example/talk", "conversation", 80, shares=1, talk_backs=5),
         L("https://s.example/brand-new", "shared", 64, shares=1, shared_on=["lemmy"])],
    )  # fmt: skip
    got = rows(con, "report_changes_signals")
    assert [(r["url"], r["newly_shared"], r["newly_discussed"]) for r in got] == [
        ("https://s.example/shared", False, True),
        ("https://s.example/brand-new", True, False),
        ("https://s.example/quiet", True, False),
    ]
    assert got[0]["new_sources"] == ["bluesky"] and got[0]["previous_shares"] == 2
    assert got[2]["previous_level"] == "siloed" and got[2]["new_sources"] == ["hackernews"]
    common = [r["url"] for r in rows(con, "report_changes_signals", common=True)]
    assert "https://s.example/brand-new" not in common and len(common) == 2


def test_profile_health_changes_survive_a_pruned_previous_run(con, db, two_runs) -> None:
    add_social_tables(con)
    insert_health(
        con,
        OLD,
        [Health("@shop", followers=100, posts_30d=2), Health("@quiet", platform="bluesky"),
         Health("@old", platform="pinterest")],
    )  # fmt: skip
    insert_health(
        con,
        NEW,
        [Health("@Shop", followers=140, posts_30d=9, push_ratio=0.1),
         Health("@quiet", platform="bluesky"),
         Health("<b>new</b>", platform="x", followers=None, api_status="needs token")],
    )  # fmt: skip
    db.prune(OLD)
    got = rows(con, "report_changes_profiles")
    assert [(r["platform"], r["handle"], r["change"]) for r in got] == [
        ("mastodon", "@Shop", "changed"),
        ("pinterest", "@old", "gone"),
        ("x", "<b>new</b>", "new"),
        ("bluesky", "@quiet", "same"),  # unchanged ones last
    ]
    shop = got[0]
    assert (shop["previous_followers"], shop["followers"]) == (100, 140)
    assert (shop["previous_posts_30d"], shop["posts_30d"]) == (2, 9)
    assert (shop["previous_push_ratio"], shop["push_ratio"]) == (0.4, 0.1)
    assert got[2]["followers"] is None  # unknown stays unknown
    assert rows(con, "report_changes_profiles", previous=None) == []


@pytest.mark.parametrize("model", PAGE_LEVEL_MODELS)
def test_a_pruned_previous_run_yields_no_page_level_change(con, db, two_runs, model) -> None:
    db.crawled(NEW, ["https://s.example/a"])
    db.levels(NEW, [db.Level("https://s.example/a", "shared", 64, shares=1)])
    db.findings(NEW, [db.Finding("https://s.example/a", "title_missing", "high")])
    db.bridge(NEW, "https://s.example/a", "Shared once and now answers 404", [])
    assert rows(con, model) or model == "report_changes_levels"  # unpruned: all of it is new
    db.prune(OLD)
    for common in (False, True):
        assert rows(con, model, common=common) == [], "every page would look new"
    assert rows(con, model, previous=None) == []


def test_hostile_text_is_cut_in_the_change_tables(con, db, two_runs) -> None:
    long_title = "<script>" + "x" * 400
    db.levels(OLD, [db.Level("https://s.example/a", "siloed", 0)])
    db.levels(NEW, [db.Level("https://s.example/a", "shareable", 16, title=long_title)])
    [move] = rows(con, "report_changes_levels")
    assert len(move["title"]) == 200 and move["title"].endswith("…")
