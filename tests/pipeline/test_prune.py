"""Retention (``unsilo prune``): which runs stay whole, what a pruned run keeps, and that a
pruned run still shows in the index but is never reported again as if whole."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from tests.pipeline.conftest import insert_run
from unsilo.cli import main
from unsilo.pipeline.analyse import PrunedRunError, analyse
from unsilo.pipeline.comparison import choose_comparison
from unsilo.pipeline.db import connect
from unsilo.pipeline.prune import per_run_tables, plan_prune, prune_runs
from unsilo.pipeline.queries import run_sql
from unsilo.reports.render import ReportError, render_report


def add_run(con: duckdb.DuckDBPyConnection, run_id: str, when: str, **facts: Any) -> str:
    return insert_run(con, run_id, datetime.fromisoformat(when), **{"pages": 10, **facts})


def test_plan_keeps_the_newest_runs_and_the_last_run_of_recent_months_per_site() -> None:
    con = connect(":memory:")
    for run_id, when in [
        ("jan-a", "2026-01-03"),
        ("jan-b", "2026-01-20"),
        ("mar-a", "2026-03-02"),  # no run in February: it does not use up a month
        ("mar-b", "2026-03-30"),
        ("apr", "2026-04-05"),
    ]:
        add_run(con, run_id, when)
    add_run(con, "failed", "2026-04-06", status="failed", pages=1)
    add_run(con, "running", "2026-04-07", status="running")
    add_run(con, "other-site", "2025-01-01", url="https://dk.shop.example/")
    plan = plan_prune(con, keep_monthly=3, keep_latest=2)
    # months Apr, Mar, Jan (their newest runs); the 2 newest are apr and mar-b already
    assert sorted(r.run_id for r in plan.keep) == ["apr", "jan-b", "mar-b", "other-site"]
    assert sorted(r.run_id for r in plan.prune) == ["failed", "jan-a", "mar-a"]
    none_kept = plan_prune(con, keep_monthly=0, keep_latest=1)
    assert [r.run_id for r in none_kept.keep] == ["apr", "other-site"]


def shop_run(make_run: Any, run_id: str, *, pages: int) -> Any:
    run = make_run(run_id)
    run.page("/")
    for i in range(pages):
        run.page(f"/p/{i}")
        run.link("/", f"/p/{i}")
        run.sitemap(f"/p/{i}")
    run.load()
    return run


def test_a_pruned_run_keeps_its_totals_and_is_never_reported_again(
    duck: duckdb.DuckDBPyConnection, make_run: Any, tmp_path: Path
) -> None:
    for run_id, when, pages in (("old", "2026-01-01", 4), ("new", "2026-02-01", 6)):
        shop_run(make_run, run_id, pages=pages)
        add_run(duck, run_id, when, url="https://shop.example/", pages=pages + 1)
        analyse(duck, run_id)
    before = {r[0]: r for r in run_sql(duck, "report_runs").fetchall()}
    plan = plan_prune(duck, keep_latest=1)
    assert [r.run_id for r in plan.prune] == ["old"]
    deleted = prune_runs(duck, plan)
    assert deleted["pages"] == 5 and deleted["links"] == 4 and deleted["page_levels"] == 5
    assert "trends" not in deleted and "runs" not in deleted
    for table in per_run_tables(duck):
        count = duck.execute(f"select count(*) from {table} where run_id = 'old'").fetchone()
        assert count == (0,), table
    # the index still lists it with its score, now marked as pruned
    after = {r[0]: r for r in run_sql(duck, "report_runs").fetchall()}
    assert after["old"][8] == before["old"][8] is not None  # avg_score from its totals
    assert after["old"][-1] is not None and after["new"][-1] is None  # pruned_at
    # the newer run still compares with it, on its totals
    assert choose_comparison(duck, "new").run_id == "old"
    render_report(duck, "new", tmp_path / "new.html")
    with pytest.raises(PrunedRunError, match="raw rows pruned"):
        analyse(duck, "old")
    with pytest.raises(ReportError, match="raw rows pruned"):
        render_report(duck, "old", tmp_path / "old.html")
    assert plan_prune(duck, keep_latest=1).prune == []  # a pruned run is not pruned again


def test_cli_dry_run_changes_nothing_then_prune_prints_sizes(tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    con = connect(db)
    for month in range(1, 5):
        run_id = add_run(con, f"m{month}", f"2026-0{month}-01")
        con.execute(
            "insert into pages (run_id, url, url_key) select $1, 'https://shop.example/' || i,"
            " 'k' || i from range(2000) t(i)",
            [run_id],
        )
    analyse(con, "m1")
    con.close()
    runner = CliRunner()
    dry = runner.invoke(main, ["prune", "--db", str(db), "--keep-latest", "2", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would prune the raw rows of 2 runs; 2 kept whole" in dry.output
    assert "prune  m1" in dry.output and "keep   m4" in dry.output
    con = connect(db)
    assert con.execute("select count(*) from pages").fetchone() == (8000,)
    con.close()
    done = runner.invoke(main, ["prune", "--db", str(db), "--keep-latest", "2"])
    assert done.exit_code == 0, done.output
    assert "rows deleted: " in done.output and "pages 4000" in done.output
    assert "database: " in done.output and " before, " in done.output
    listed = runner.invoke(main, ["runs", "--db", str(db)])
    assert listed.output.count("raw rows pruned") == 2
    nothing = runner.invoke(main, ["prune", "--db", str(db)])
    assert nothing.exit_code == 2 and "say what to keep" in nothing.output


def test_retention_keys_come_from_the_config_file(tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    con = connect(db)
    for month in range(1, 4):
        add_run(con, f"m{month}", f"2026-0{month}-01")
    con.close()
    config = tmp_path / "shop.toml"
    config.write_text(f'[output]\ndb = "{db}"\n\n[retention]\nkeep_latest = 1\n')
    result = CliRunner().invoke(main, ["prune", "--config", str(config), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would prune the raw rows of 2 runs; 1 kept whole" in result.output
