"""Trends across runs: the report's "Trends" section and the chart on index.html draw one
point per finished run of the site, with the values of the ``trends`` mart, as inline SVG
(no script), and a first run says the trend starts with the next one."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.reports.conftest import Finding, Level
from unsilo.reports.render import render_index, render_report
from unsilo.reports.trends import HEIGHT, TOP

HOSTILE_SOURCE = "<script>alert('src')</script>"
LATEST_LEVELS = [
    Level("https://shop.example/", "share-ready", 100, "home"),
    Level("https://shop.example/p/1", "shareable", 60),
    Level("https://shop.example/p/2", "shareable", 40),
    Level("https://shop.example/p/3", "siloed", 20),
]


@pytest.fixture
def latest(db, shop) -> str:
    """A third run of shop.example, after the shop fixture's two, with signals asked."""
    run = db.run("2026-12-01T000000Z-dddddd", "2026-12-01 02:00:00", pages=4, html_pages=4)
    db.levels(run, LATEST_LEVELS)
    db.findings(run, [Finding("https://shop.example/t/0", "title_missing", "high")])
    db.source(run, "hackernews", "ok", found=5)
    db.source(run, HOSTILE_SOURCE, "needs token")
    db.totals(run)
    return run


def points(svg, measure: str, level: str | None = None) -> list[tuple[str, float, float]]:
    """``(run id, value, cy)`` of each point of one line."""
    selector = f'g.trend-line[data-measure="{measure}"]'
    if level:
        selector += f'[data-level="{level}"]'
    return [
        (c["data-run-id"], float(c["data-value"]), float(c["cy"]))
        for c in svg.select_one(selector).select("circle.trend-point")
    ]


def test_report_charts_one_point_per_run_with_the_runs_values(shop, latest, render) -> None:
    soup = render(latest)
    section = soup.select_one("section#trends")
    assert section.h2.get_text(strip=True) == "Trends"
    svg = section.select_one("svg.trend-chart")
    assert svg["role"] == "img" and svg.title.get_text() and svg.desc.get_text()
    runs = [shop.previous, shop.current, latest]  # oldest first; other.example left out
    scores = points(svg, "avg_score")
    assert [(r, v) for r, v, _ in scores] == list(zip(runs, [12.0, 38.3, 55.0], strict=True))
    siloed = points(svg, "share", "siloed")  # 4 of 5, 3 of 6 (+ 1 of 7 added), 1 of 4
    assert [(r, v) for r, v, _ in siloed] == list(zip(runs, [80.0, 50.0, 25.0], strict=True))
    share_ready = points(svg, "share", "share-ready")
    assert [v for _, v, _ in share_ready] == [0.0, round(100 / 6, 1), 25.0]
    # higher values sit higher on the one 0-100 axis; nothing leaves the plot
    ys = [y for _, _, y in scores]
    assert ys[0] > ys[1] > ys[2] >= TOP and max(ys) < HEIGHT
    assert not soup.find("script") and "<script>" not in str(svg)


def test_report_table_holds_every_measure_per_run_escaped(shop, latest, render) -> None:
    table = render(latest).select_one("section#trends table.trend-table")
    rows = table.select("tbody tr.trend-run")
    assert [r["data-run-id"] for r in rows] == [shop.previous, shop.current, latest]
    last = rows[-1].get_text(" ", strip=True)
    assert "hackernews 5" in last and f"{HOSTILE_SOURCE} unknown (needs token)" in last
    assert "<script>alert" not in str(table)  # the crawled source name stays text
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[4:8] == ["critical", "high", "medium", "low"]  # most severe first


def test_an_earlier_report_charts_only_the_runs_up_to_it(shop, latest, render) -> None:
    svg = render(shop.current).select_one("section#trends svg.trend-chart")
    assert [r for r, _, _ in points(svg, "avg_score")] == [shop.previous, shop.current]


def test_a_first_run_says_the_trend_starts_with_the_next_run(shop, render) -> None:
    section = render(shop.previous).select_one("section#trends")
    assert section.select_one("svg") is None
    assert "the trend starts with the next run" in section.get_text(" ", strip=True)


def test_index_has_one_trend_per_site(con, shop, latest, tmp_path: Path) -> None:
    render_report(con, latest, tmp_path / "runs" / f"{latest}.html")
    soup = BeautifulSoup(render_index(con, tmp_path).read_text(encoding="utf-8"), "html.parser")
    section = soup.select_one("section#trends")
    [svg] = section.select("svg.trend-chart")
    assert svg["data-site"] == "https://shop.example"
    assert [r for r, _, _ in points(svg, "avg_score")] == [shop.previous, shop.current, latest]
    pending = section.select_one(".trend-pending").get_text(" ", strip=True)
    assert pending.startswith("https://other.example") and "next run" in pending
    texts = [t for t in svg.select("text") if t.get_text(strip=True)]
    assert "2026-12-01" in {t.get_text(strip=True) for t in texts}  # the run axis is labelled
    assert not soup.find("script") and not section.select("[href], [src], image, use")


def test_partial_and_other_scope_runs_are_marked_on_chart_and_table(con, shop, latest, render):
    """A run stopped at 100 pages drew like a whole crawl: its dip read as a real change."""
    con.execute(
        "update runs set status = 'partial', reason = 'page limit reached (100 pages)',"
        " settings = '{\"max_pages\": 100}' where run_id = $1",
        [shop.current],
    )
    soup = render(latest)
    svg = soup.select_one("section#trends svg.trend-chart")
    marks = {
        c["data-run-id"]: set(c["class"])
        for c in svg.select('g[data-measure="avg_score"] circle.trend-point')
    }
    assert marks[shop.current] == {"trend-point", "partial", "other-scope"}
    assert marks[shop.previous] == marks[latest] == {"trend-point"}
    dates = [t.get_text() for t in svg.select("text") if t.get_text().startswith("20")]
    assert sum(d.endswith("*") for d in dates) == 1
    notes = soup.select_one("section#trends .trend-notes").get_text(" ", strip=True)
    assert "Hollow points: 1 partial run" in notes and "Dates marked *: 1 run" in notes
    row = soup.select_one(f'tr.trend-run[data-run-id="{shop.current}"]')
    assert "asked something else: max_pages 100 → none" in row.get_text(" ", strip=True)
    assert row.select_one("span[title]")["title"] == "page limit reached (100 pages)"
