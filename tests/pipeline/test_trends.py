"""The trends mart is the single source of every trend figure: signals per source and the
profiles' followers and cadence are rows of it too, and they survive ``unsilo prune``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from tests.pipeline.conftest import insert_run
from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.prune import plan_prune, prune_runs
from unsilo.signals.items import SignalSourceItem
from unsilo.social.items import ProfileItem


def _trend(con: duckdb.DuckDBPyConnection, run_id: str, measure: str) -> dict[str, tuple]:
    rows = con.execute(
        "select subject, value, note from trends where run_id = $r and measure = $m",
        {"r": run_id, "m": measure},
    ).fetchall()
    return {subject: (value, note) for subject, value, note in rows}


def test_signals_found_per_source_with_status_and_unknown_never_zero(
    duck: duckdb.DuckDBPyConnection, make_run: Any
) -> None:
    run = make_run("r1")
    run.page("/")
    run.items.append(SignalSourceItem(source="hackernews", status="ok", found=7))
    run.items.append(SignalSourceItem(source="lemmy", status="partial", found=2))
    run.items.append(SignalSourceItem(source="reddit", status="needs token", found=0))
    run.load()
    analyse(duck, "r1")
    assert _trend(duck, "r1", "signals_found") == {
        "hackernews": (7.0, "ok"),
        "lemmy": (2.0, "partial"),
        "reddit": (None, "needs token"),  # not asked: unknown, not "found nothing"
    }


def test_profile_followers_and_cadence_are_trend_rows_kept_by_prune(
    duck: duckdb.DuckDBPyConnection, make_run: Any
) -> None:
    for run_id, when, followers in (("old", "2026-01-01", 10), ("new", "2026-02-01", 25)):
        run = make_run(run_id)
        run.page("/")
        run.profile("/", "bluesky", "shop.example", source="sameAs")
        run.items.append(
            ProfileItem(
                "bluesky",
                "shop.example",
                "https://bsky.app/profile/shop.example",
                "ok",
                followers=followers,
            )
        )
        run.load()
        insert_run(duck, run_id, datetime.fromisoformat(when), pages=1)
        analyse(duck, run_id)
    followers = _trend(duck, "new", "profile_followers")
    assert followers == {"bluesky:shop.example": (25.0, "ok")}
    assert set(_trend(duck, "new", "profile_cadence_days")) == {"bluesky:shop.example"}
    assert set(_trend(duck, "new", "profile_posts_30d")) == {"bluesky:shop.example"}
    prune_runs(duck, plan_prune(duck, keep_latest=1))
    assert _trend(duck, "old", "profile_followers") == {"bluesky:shop.example": (10.0, "ok")}
    assert duck.execute("select count(*) from pages where run_id = 'old'").fetchone() == (0,)
