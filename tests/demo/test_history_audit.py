"""``unsilo audit --demo --history 3``: three dated runs, each compared with the month before,
and a trend that shows the Open Graph fix and the shared page that broke."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli
from unsilo.demo.history import month_state
from unsilo.pipeline.comparison import choose_comparison

MONTHS = 3  # the fewest that show each event: month 1 breaks a shared page, month 2 fixes OG
PAGES = 30  # the smallest demo shop (``--demo-pages`` minimum): every event happens in it too


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The history audited once for the module: (database, report folder, stdout)."""
    root = tmp_path_factory.mktemp("history")
    db, out = root / "h.duckdb", root / "report"
    args = ["audit", "--demo", "--history", str(MONTHS), "--demo-pages", str(PAGES)]
    done = run_cli(*args, "--db", str(db), "--out", str(out), cwd=root)
    assert done.returncode == 0, done.stderr[-2000:]
    return db, out, done.stdout


def _runs(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select run_id, started_at, status, analysed_at is not null from runs order by 2"
        ).fetchall()


def test_each_month_is_a_run_dated_by_the_demo_clock(history: tuple[Path, Path, str]) -> None:
    db, out, stdout = history
    runs = _runs(db)
    assert [r[1].date().isoformat() for r in runs] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert [r[0][:10] for r in runs] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert all(r[2] == "complete" and r[3] for r in runs)
    assert f"report: {out / 'report.html'}" in stdout and (out / "index.html").is_file()


def test_each_run_compares_with_the_month_before(history: tuple[Path, Path, str]) -> None:
    db = history[0]
    runs = [r[0] for r in _runs(db)]
    with duckdb.connect(str(db), read_only=True) as con:
        assert choose_comparison(con, runs[0]) is None
        for before, run in zip(runs, runs[1:], strict=False):
            comparison = choose_comparison(con, run)
            assert comparison is not None and comparison.run_id == before
            assert not comparison.common  # like for like: same site, same scope, complete


def _trend(db: Path, measure: str, subject: str) -> list[float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select r.run_id, coalesce(sum(t.value), 0) from runs as r "
            "left join trends as t on t.run_id = r.run_id and t.measure = $m and t.subject = $s "
            "group by r.run_id, r.started_at order by r.started_at",
            {"m": measure, "s": subject},
        ).fetchall()
    return [row[1] for row in rows]


def test_the_trend_shows_the_open_graph_fix(history: tuple[Path, Path, str]) -> None:
    db = history[0]
    ready = [
        a + b
        for a, b in zip(
            _trend(db, "pages_at_level", "shareable"),
            _trend(db, "pages_at_level", "share-ready"),
            strict=True,
        )
    ]
    with duckdb.connect(str(db), read_only=True) as con:
        scored = [
            row[0]
            for row in con.execute(
                "select t.value from trends as t join runs as r using (run_id) "
                "where t.measure = 'scored_pages' order by r.started_at"
            ).fetchall()
        ]
    shares = [r / s for r, s in zip(ready, scored, strict=True)]
    assert shares[2] > shares[1] + 0.2  # products got complete Open Graph in month 2


def test_the_trend_shows_the_shared_page_that_broke(history: tuple[Path, Path, str]) -> None:
    db = history[0]
    bridges = _trend(db, "findings_by_check", "broken_bridge")
    assert bridges[1] == bridges[0] + 1 and bridges[2] == bridges[1]
    path = month_state(0, MONTHS, pages=PAGES).breaking_path
    with duckdb.connect(str(db), read_only=True) as con:
        found = con.execute(
            "select r.started_at from findings as f join runs as r using (run_id) "
            "where f.\"check\" = 'broken_bridge' and f.url like '%' || $p order by 1",
            {"p": path},
        ).fetchall()
    assert [row[0].month for row in found] == [2, 3]  # from the month it broke


def test_the_report_draws_one_trend_point_per_month(history: tuple[Path, Path, str]) -> None:
    out = history[1]
    soup = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("tr.trend-run")) == MONTHS
    assert len(list((out / "runs").glob("*.html"))) == MONTHS


def test_demo_with_history_runs_the_audit_instead_of_serving(tmp_path: Path) -> None:
    done = run_cli("demo", "--history", "1", "--pages", "30", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    reports = [line for line in done.stdout.splitlines() if line.startswith("report: ")]
    assert len(reports) == 1 and reports[0].endswith("unsilo-report/report.html")
    assert "levels: " in done.stdout and "index: " in done.stdout  # the run summary ends it
    assert [r[1].date().isoformat() for r in _runs(tmp_path / "unsilo.duckdb")] == ["2026-01-01"]
