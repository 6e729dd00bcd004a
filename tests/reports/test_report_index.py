"""The index of runs: every run listed, newest first, linked to its report when it exists."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from unsilo.reports.render import render_index, render_report


def test_index_lists_every_run_and_links_existing_reports(con, db, shop, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_report(con, shop.current, out / "runs" / f"{shop.current}.html")
    index = render_index(con, out)
    assert index == out / "index.html"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("#runs tbody tr")
    assert [r["data-run"] for r in rows] == [shop.current, shop.other_site, shop.previous]
    links = {r["data-run"]: r.select_one("a.report-link") for r in rows}
    assert links[shop.current]["href"] == f"runs/{shop.current}.html"
    assert (out / links[shop.current]["href"]).is_file()
    assert links[shop.previous] is None and "no report" in rows[2].get_text()


def test_index_shows_status_pages_and_score(con, db, shop, tmp_path: Path) -> None:
    soup = BeautifulSoup(render_index(con, tmp_path).read_text(encoding="utf-8"), "html.parser")
    current = soup.select_one(f'tr[data-run="{shop.current}"]')
    cells = [td.get_text(" ", strip=True) for td in current.find_all("td")]
    scores = [lv.score for lv in shop.current_levels]
    assert cells[0] == "2026-11-01 02:00 UTC"
    assert cells[1] == "shop.example"
    assert cells[3].startswith("partial") and shop.reason in cells[3]
    assert cells[4:7] == ["12", "10", f"{round(sum(scores) / len(scores), 1):g}"]


def test_hostile_start_url_and_run_id_never_become_links(con, db, tmp_path: Path) -> None:
    run = db.run("../../etc/passwd", "2026-12-01 00:00:00")
    con.execute("update runs set start_url = 'javascript:alert(1)' where run_id = $1", [run])
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd.html").write_text("x")
    soup = BeautifulSoup(render_index(con, tmp_path).read_text(encoding="utf-8"), "html.parser")
    row = soup.select_one("#runs tbody tr")
    assert row.find("a") is None
    assert "javascript:alert(1)" in row.get_text()


def test_empty_database_gets_an_explaining_index(con, tmp_path: Path) -> None:
    soup = BeautifulSoup(render_index(con, tmp_path).read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("#runs") is None
    assert "No runs stored yet" in soup.get_text()
