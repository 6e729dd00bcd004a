"""The report's SQL models on given rows: expected rows out, including the edge cases the
templates rely on (no previous run, unknown levels and severities, example limits)."""

from __future__ import annotations

import math

import pytest

from unsilo.pipeline.queries import run_sql


def rows(con, model: str, **params) -> list[dict]:
    if "previous_run_id" in params:
        params = {"common": False, **params}  # totals, unless a test asks page by page
    cursor = run_sql(con, model, **params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def test_level_changes_without_previous_run(con, db) -> None:
    run = db.run("r1", "2026-01-01 00:00:00")
    db.levels(run, [db.Level("https://s.example/a"), db.Level("https://s.example/b", "weird")])
    got = rows(con, "report_level_changes", run_id=run, previous_run_id=None)
    assert [(r["level"], r["pages"], r["previous_pages"]) for r in got] == [
        ("siloed", 1, None),
        ("shareable", 0, None),
        ("share-ready", 0, None),
        ("shared", 0, None),
        ("conversation", 0, None),
        ("weird", 1, None),  # an unknown level stays visible, last
    ]


def test_level_changes_count_zero_for_levels_gone_since_previous(con, db) -> None:
    old, new = db.run("r1", "2026-01-01 00:00:00"), db.run("r2", "2026-02-01 00:00:00")
    db.levels(old, [db.Level("https://s.example/a", "shared")])
    db.levels(new, [db.Level("https://s.example/a", "share-ready")])
    got = rows(con, "report_level_changes", run_id=new, previous_run_id=old)
    assert {r["level"]: (r["pages"], r["previous_pages"]) for r in got} == {
        "siloed": (0, 0),
        "shareable": (0, 0),
        "share-ready": (1, 0),
        "shared": (0, 1),
        "conversation": (0, 0),
    }


def test_common_basis_counts_only_pages_both_runs_scored(con, db) -> None:
    old, new = db.run("r1", "2026-01-01 00:00:00"), db.run("r2", "2026-02-01 00:00:00")
    L = db.Level
    db.levels(old, [L("https://s.example/a", score=10), L("https://s.example/gone", score=0)])
    db.levels(new, [L("https://s.example/a", "shareable", 50), L("https://s.example/new")])
    basis = {"run_id": new, "previous_run_id": old}
    common = {r["level"]: r for r in rows(con, "report_level_changes", **basis, common=True)}
    assert (common["siloed"]["pages"], common["siloed"]["compared_pages"]) == (1, 0)
    assert common["siloed"]["previous_pages"] == 1  # /gone is not counted
    assert (common["shareable"]["compared_pages"], common["shareable"]["previous_pages"]) == (1, 0)
    totals = {r["level"]: r for r in rows(con, "report_level_changes", **basis)}
    assert (totals["siloed"]["compared_pages"], totals["siloed"]["previous_pages"]) == (1, 2)
    [scores] = rows(con, "report_comparison", **basis, common=True)
    assert scores == {"common_pages": 1, "avg_score": 50.0, "previous_avg_score": 10.0}
    [scores] = rows(con, "report_comparison", **basis, common=False)
    assert (scores["avg_score"], scores["previous_avg_score"]) == (25.0, 5.0)


def test_finding_groups_limit_examples_and_name_unknown_severity(con, db) -> None:
    run = db.run("r1", "2026-01-01 00:00:00")
    F = db.Finding
    db.findings(
        run,
        [F(f"https://s.example/{i}", "title_missing", "high") for i in reversed(range(8))]
        + [F("https://s.example/x", "new_check", None), F("https://s.example/y", "c5", "critical")],
    )
    got = rows(con, "report_finding_groups", run_id=run, examples=5)
    assert [(r["severity"], r["check"], r["findings"]) for r in got] == [
        ("critical", "c5", 1),
        ("high", "title_missing", 8),
        ("unknown", "new_check", 1),
    ]
    assert [e["url"] for e in got[1]["examples"]] == [f"https://s.example/{i}" for i in range(5)]
    changes = rows(con, "report_finding_changes", run_id=run, previous_run_id=None)
    assert [(r["severity"], r["findings"]) for r in changes] == [
        ("critical", 1),
        ("high", 8),
        ("medium", 0),
        ("low", 0),
        ("unknown", 1),
    ]


def test_section_levels_shares_stack_to_one(con, db) -> None:
    run = db.run("r1", "2026-01-01 00:00:00")
    L = db.Level
    db.levels(
        run,
        [L(f"https://s.example/p{i}", "siloed") for i in range(3)]
        + [
            L("https://s.example/q", "share-ready"),
            L("https://s.example/", "shareable", 0, "home"),
        ],
    )
    got = rows(con, "report_section_levels", run_id=run)
    assert [(r["section"], r["level"], r["pages"]) for r in got] == [
        ("home", "shareable", 1),
        ("product", "siloed", 3),
        ("product", "share-ready", 1),
    ]
    product = [r for r in got if r["section"] == "product"]
    assert [r["start_share"] for r in product] == [0, pytest.approx(0.75)]
    assert sum(r["share"] for r in product) == pytest.approx(1)


def test_pages_and_silos_are_capped_and_ordered(con, db) -> None:
    run = db.run("r1", "2026-01-01 00:00:00")
    L = db.Level
    db.levels(
        run,
        [L(f"https://s.example/{i}", inlinks=i, in_sitemap=i == 1) for i in range(6)]
        + [L("https://s.example/ok", "share-ready", 100, inlinks=99)],
    )
    silos = rows(con, "report_top_silos", run_id=run, limit=3)
    assert [r["url"] for r in silos] == [f"https://s.example/{i}" for i in (5, 4, 3)]
    pages = rows(con, "report_pages", run_id=run, limit=100)
    assert pages[-1]["url"] == "https://s.example/ok" and len(pages) == 7
    assert len(rows(con, "report_pages", run_id=run, limit=2)) == 2


def test_top_silos_rank_by_links_from_content_not_the_menu(con, db) -> None:
    """Every page's menu links /about: 300 inlinks made it the "most valuable" silo."""
    run = db.run("r1", "2026-01-01 00:00:00")
    L = db.Level
    db.levels(
        run,
        [
            L("https://s.example/about", section="other", inlinks=300, editorial_inlinks=0),
            L("https://s.example/sofa", inlinks=300, editorial_inlinks=12, depth=1),
            L("https://s.example/lamp", inlinks=20, editorial_inlinks=12, depth=3),
            L("https://s.example/mapped", inlinks=2, editorial_inlinks=2, in_sitemap=True),
        ],
    )
    silos = rows(con, "report_top_silos", run_id=run, limit=10)
    assert [r["url"].rsplit("/", 1)[1] for r in silos] == ["sofa", "lamp", "mapped", "about"]
    values = [r["silo_value"] for r in silos]
    assert values[0] == pytest.approx(math.log(13) + 1 / 2)  # ln(1 + 12) + 1 / (1 + depth 1)
    assert values[3] == pytest.approx(1 / 3)  # the menu's 300 links count for nothing
    pages = rows(con, "report_pages", run_id=run, limit=10)
    assert [r["url"].rsplit("/", 1)[1] for r in pages][:2] == ["sofa", "lamp"]
