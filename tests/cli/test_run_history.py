"""Runs over time, end to end on the demo shop: the README's step-by-step path (`unsilo
crawl` then `unsilo audit`) compares with no run that was never analysed, a capped crawl says
so and yields no finding that exists only because it stopped, and `--compare` names a run."""

from __future__ import annotations

from pathlib import Path

import duckdb
from bs4 import BeautifulSoup

from tests.conftest import run_cli

CAPPED = ("--max-pages", "10", "--no-social", "--no-signals")


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_crawl_then_audit_then_compare(tmp_path: Path, demo_server) -> None:
    db, out = tmp_path / "shop.duckdb", tmp_path / "out"
    crawled = run_cli("crawl", demo_server.url, "--db", str(db), *CAPPED, cwd=tmp_path)
    assert crawled.returncode == 3, crawled.stderr[-2000:]  # capped: partial
    audit = run_cli("audit", demo_server.url, "--db", str(db), "--out", str(out), *CAPPED,
                    cwd=tmp_path)  # fmt: skip
    assert audit.returncode == 3, audit.stderr[-2000:]
    con = duckdb.connect(str(db), read_only=True)
    runs = con.execute("select run_id from runs order by started_at").fetchall()
    (first,), (second,) = runs
    con.close()

    report = soup_of(out / "report.html")
    # the crawl's run was never analysed: no "previous 0 → +N siloed"
    assert "first run" in report.select_one("#changes-since").get_text()
    # the cap is on the first screen, and the whole-shop checks are named, not run
    banner = report.select_one("#run-banner").get_text()
    assert "page limit reached (10 pages)" in banner and "Orphan sitemap URL" in banner
    assert report.select_one('article[data-check="sitemap_orphan"]') is None
    assert "Orphan sitemap URL" in report.select_one("#findings-suppressed").get_text()
    row = soup_of(out / "index.html").select_one(f'tr[data-run="{second}"]').get_text()
    assert "page limit 10" in row and "whole-shop checks skipped" in row

    # named explicitly, the crawl's run is analysed and compared page by page: it is partial
    again = run_cli("report", "--db", str(db), "--out", str(out), "--compare", first,
                    cwd=tmp_path)  # fmt: skip
    assert again.returncode == 0, again.stderr[-2000:]
    report = soup_of(out / "report.html")
    note = report.select_one("#comparison-note").get_text()
    assert first in note and "It is partial" in note and "This run is partial" in note
    assert first in report.select_one("#changes-since").get_text()
    bad = run_cli("report", "--db", str(db), "--out", str(out), "--compare", "nope", cwd=tmp_path)
    assert bad.returncode == 4 and "no run 'nope' to compare with" in bad.stderr
