"""The rendered report, read the way a reader reads it: parsed HTML, visible text, links."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup

from unsilo.reports.environment import BIDI_CONTROLS
from unsilo.reports.pages import PAGE_LIMIT
from unsilo.reports.render import ReportError, render_report

SECTIONS = [
    "At a glance",
    "Broken bridges",
    "Summary",
    "What changed",
    "Trends",
    "Top fixes",
    "Findings",
    "Levels by section",
    "Shares and conversation",
    "Shop's social profiles",
    "Social profile health",
    "Pages",
    "Method",
    "Exports",
]


def card(soup: BeautifulSoup, figure: str) -> str:
    return soup.select_one(f'.card[data-figure="{figure}"] .value').get_text(" ", strip=True)


def level_table(soup: BeautifulSoup) -> dict[str, list[str]]:
    rows = soup.select("#level-counts tbody tr")
    return {r["data-level"]: [td.get_text(strip=True) for td in r.find_all("td")] for r in rows}


def test_report_has_every_section_heading(shop, render) -> None:
    soup = render(shop.current)
    assert [h.get_text(strip=True) for h in soup.find_all("h2")] == SECTIONS


def test_summary_shows_run_figures(shop, render) -> None:
    soup = render(shop.current)
    scores = [lv.score for lv in shop.current_levels]
    assert card(soup, "pages") == "12"
    assert card(soup, "html_pages") == "10"
    assert card(soup, "indexable_pages") == "7"
    assert card(soup, "errors") == "2"
    assert card(soup, "avg_score").startswith(f"{round(sum(scores) / len(scores), 1):g}")
    assert soup.h1.get_text(strip=True) == "shop.example"


def complete(con, run_id: str) -> None:
    """Make the shop's partial current run complete: a like-for-like comparison of totals."""
    con.execute(
        "update runs set status = 'complete', crawl_whole = true where run_id = $1", [run_id]
    )


def test_level_counts_and_deltas_against_previous_run_of_same_site(con, shop, render) -> None:
    complete(con, shop.current)
    soup = render(shop.current)
    counts = Counter(lv.level for lv in shop.current_levels)
    table = level_table(soup)
    # every level of the ladder has a row, 0 pages included
    assert {level: int(cells[1]) for level, cells in table.items()} == {
        **dict.fromkeys(("siloed", "shareable", "share-ready", "shared", "conversation"), 0),
        **counts,
    }
    # previous run: 4 siloed, 1 shareable, 0 share-ready
    assert table["siloed"][3:] == ["4", "−1"]
    assert table["shareable"][3:] == ["1", "+1"]
    assert table["share-ready"][3:] == ["0", "+1"]
    since = soup.select_one("#changes-since").get_text()
    assert shop.previous in since and shop.other_site not in since


def test_a_run_crawled_but_never_analysed_in_between_is_not_the_previous_one(
    con, db, shop, render
) -> None:
    complete(con, shop.current)
    crawled = db.run("2026-10-20T000000Z-dddddd", "2026-10-20 02:00:00", pages=9, html_pages=9)
    con.execute("update runs set analysed_at = null where run_id = $1", [crawled])
    soup = render(shop.current)
    since = soup.select_one("#changes-since").get_text()
    assert shop.previous in since and crawled not in since
    assert level_table(soup)["siloed"][3:] == ["4", "−1"]  # not "0 → +3"


def test_partial_run_compares_only_the_pages_both_runs_scored(shop, render) -> None:
    soup = render(shop.current)  # partial: its totals are not comparable with a whole crawl
    note = soup.select_one("#comparison-note").get_text()
    assert shop.previous in note and "This run is partial" in note
    assert "2 pages both runs scored" in note  # / and /p/1 are in both runs
    table = level_table(soup)
    assert int(table["siloed"][1]) == 3  # every page of this run is still listed
    # in both runs: / went siloed → share-ready, /p/1 stayed siloed
    assert table["siloed"][3:] == ["1", "2", "−1"]
    assert table["share-ready"][3:] == ["1", "0", "+1"]
    assert table["shareable"][3:] == ["0", "0", "±0"]
    assert "(pages in both)" in soup.select_one('.card[data-figure="avg_score"]').get_text()


def test_finding_deltas_by_severity(con, shop, render) -> None:
    complete(con, shop.current)
    soup = render(shop.current)
    rows = {
        r["data-severity"]: [td.get_text(strip=True) for td in r.find_all("td")][1:]
        for r in soup.select("#finding-counts tbody tr")
    }
    now = Counter(f.severity for f in shop.current_findings)
    assert {sev: int(cells[0]) for sev, cells in rows.items()} == {
        sev: now.get(sev, 0) for sev in ("critical", "high", "medium", "low")
    }
    assert rows["high"][1:] == ["3", "±0"]
    assert rows["low"][1:] == ["2", "−1"]


def test_first_run_says_so_and_has_no_delta_columns(shop, render) -> None:
    soup = render(shop.previous)
    assert "first run" in soup.select_one("#changes-since").get_text()
    headers = [th.get_text(strip=True) for th in soup.select("#level-counts th")]
    assert "Previous run" not in headers and "Change" not in headers
    assert soup.select_one("#run-banner") is None


def test_partial_run_banner_gives_the_reason(shop, render) -> None:
    banner = render(shop.current).select_one("#run-banner")
    assert "partial" in banner.get_text()
    assert shop.reason in banner.select_one(".reason").get_text()


def test_failed_run_banner(db, render) -> None:
    reason = "unsilo's crawler was blocked by robots.txt"
    run = db.run("2026-12-01T0000Z-f", "2026-12-01 00:00:00", status="failed", reason=reason)
    soup = render(run)
    banner = soup.select_one("#run-banner")
    assert "This run failed." in banner.get_text()
    assert reason in banner.get_text()
    assert "No indexable HTML pages were scored" in soup.select_one("#levels").get_text()


def test_findings_grouped_by_severity_then_check_with_five_examples(shop, render) -> None:
    soup = render(shop.current)
    groups = soup.select("#findings article.finding")
    by_check = Counter(f.check for f in shop.current_findings)
    assert {g["data-check"]: int(g.select_one(".count").get_text()) for g in groups} == by_check
    order = [g["data-severity"] for g in groups]
    ranks = ["critical", "high", "medium", "low"]
    assert order == sorted(order, key=ranks.index)
    descriptions = soup.select_one('article[data-check="description_missing"]')
    assert len(descriptions.select("ul.examples li")) == 5
    assert "and 2 more" in descriptions.get_text()


def test_broken_link_examples_name_the_broken_target_not_only_the_page(db, render) -> None:
    run = db.run("r1", "2026-01-01 00:00:00")
    F = db.Finding
    db.findings(
        run,
        [
            F(
                "https://s.example/a",
                "broken_internal_link",
                "high",
                detail="https://s.example/gone",
            ),
            F("https://s.example/b", "broken_internal_link", "high", detail="javascript:alert(1)"),
        ],
    )
    group = render(run).select_one('article[data-check="broken_internal_link"]')
    items = group.select("ul.examples li")
    assert [li.get_text(" ", strip=True) for li in items] == [
        "s.example/a → s.example/gone",  # short in the cell, the full URL in the title
        "s.example/b → javascript:alert(1)",
    ]
    assert items[0].select(".short-url")[1]["title"] == "https://s.example/gone"
    assert [a["href"] for a in group.select("a")] == [
        "https://s.example/a",
        "https://s.example/gone",
        "https://s.example/b",
    ]


def test_top_fixes_rank_by_impact_and_silos_by_seo_value(shop, render) -> None:
    soup = render(shop.current)
    fixes = [li["data-check"] for li in soup.select("#top-fix-list li")]
    # no page_value rows: every URL is worth 0.25, so impact = pages x 0.25 x fix_weight
    # (medium 7 pages: 3.5; high 2 pages and critical 1 page: 2, more pages first; ...)
    assert fixes == [
        "description_missing",
        "title_missing",
        "status_5xx",
        "broken_internal_link",
        "title_too_long",
    ]
    # the full URL is the hover title (the cell shows it cut in the middle)
    silo_urls = [
        tr.select_one("td.url .short-url")["title"] for tr in soup.select("#top-silos tbody tr")
    ]
    # in the sitemap first, then by inlinks
    assert silo_urls == [
        "https://shop.example/p/1",
        shop.js_url,
        "https://shop.example/blog/a",
    ]


def test_level_chart_is_accessible_svg_with_right_segments(shop, render) -> None:
    svg = render(shop.current).select_one("svg#level-chart")
    assert svg["role"] == "img"
    assert svg.find("title").get_text() == "Pages per level, by section"
    expected = Counter((lv.section, lv.level) for lv in shop.current_levels)
    segments = {
        (bar["data-section"], rect["data-level"]): rect
        for bar in svg.select("g.bar")
        for rect in bar.select("rect.segment")
    }
    assert {key: int(r["data-pages"]) for key, r in segments.items()} == dict(expected)
    for bar in svg.select("g.bar"):
        widths = [float(r["width"]) for r in bar.select("rect.segment")]
        assert sum(widths) == pytest.approx(560, abs=0.05)
        assert bar.find("text").get_text() in {"Home", "Category", "Product", "Article"}
    product = svg.select_one('g.bar[data-section="product"]')
    rects = product.select("rect.segment")
    assert [r["data-level"] for r in rects] == ["siloed", "shareable"]
    assert float(rects[1]["x"]) == pytest.approx(float(rects[0]["x"]) + float(rects[0]["width"]))
    assert "2 siloed (67%)" in rects[0].find("title").get_text()


def test_hostile_strings_are_text_never_markup(shop, render) -> None:
    soup = render(shop.current)
    assert soup.find_all("script") == []  # the report needs no script at all
    assert shop.hostile_title in soup.get_text()
    assert soup.find("img") is None
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag


def test_only_http_urls_become_links(shop, render) -> None:
    soup = render(shop.current)
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert hrefs and all(h.startswith(("#", "http://", "https://")) for h in hrefs)
    assert shop.js_url in soup.select_one("#page-table").get_text()
    assert shop.quote_url in hrefs  # the quote stayed inside the attribute value
    profile_cells = [tr.find_all("td")[2] for tr in soup.select("#profile-table tbody tr")]
    assert [c.a["href"] if c.a else c.get_text(strip=True) for c in profile_cells] == [
        "https://www.instagram.com/shop_dk",
        shop.js_url,
    ]
    assert "<b>evil</b>" in soup.select_one("#profile-table").get_text()


def test_non_ascii_survives(shop, render) -> None:
    soup = render(shop.current)
    assert shop.non_ascii_url in [a["href"] for a in soup.find_all("a", href=True)]
    assert shop.non_ascii_title in soup.get_text()


def test_no_external_resources(shop, render) -> None:
    soup = render(shop.current)
    assert not soup.select("link[href], script[src], img, iframe, object, embed, source, video")
    assert not soup.select("image, use")  # SVG references
    styles = " ".join(s.get_text() for s in soup.find_all("style"))
    assert "url(" not in styles and "@import" not in styles


def test_page_table_rows_expand_to_points(shop, render) -> None:
    soup = render(shop.current)
    rows = soup.select("#page-table tbody tr.page-row")
    assert len(rows) == len(shop.current_levels)
    levels = [r["data-level"] for r in rows]
    assert levels == sorted(levels, key=["siloed", "shareable", "share-ready"].index)
    home = next(r for r in rows if r.a and r.a["href"] == "https://shop.example/")
    assert home.details.select_one("ul.earned li").get_text() == "Open Graph complete (+30)"
    siloed = rows[0]
    assert siloed.details.select_one("ul.missed li").get_text() == "No share button (+20)"


def test_method_lists_every_score_point(con: duckdb.DuckDBPyConnection, shop, render):
    soup = render(shop.current)
    points = con.execute("select sum(points) from (" + _level_points_sql() + ")").fetchone()[0]
    cells = [int(tr.td.get_text()) for tr in soup.select("#score-points tbody tr")]
    assert cells and sum(cells) == points == 14
    # the top level's base plus every detail is the whole scale
    bases = [li.select_one(".base").get_text() for li in soup.select("#method li")]
    assert bases[-1] == "86 points" and 86 + sum(cells) == 100


def _level_points_sql() -> str:
    from unsilo.pipeline.queries import load_sql

    return load_sql("level_points")


def test_large_run_stays_small(con: duckdb.DuckDBPyConnection, db, tmp_path: Path):
    run = db.run("2026-12-01T0000Z-big", "2026-12-01 00:00:00", pages=20000, html_pages=20000)
    con.execute(
        "insert into page_levels (run_id, url, url_key, section, title, level, score, earned,"
        " missed, inlinks, depth, in_sitemap) select $run, 'https://shop.example/p/' || i,"
        " 'k' || i, ['product', 'category', 'article'][i % 3 + 1], 'Product ' || i,"
        " ['siloed', 'shareable', 'share-ready'][i % 3 + 1], i % 101, ['a (+30)'],"
        " ['b (+20)', 'c (+20)'], i % 500, 3, i % 2 = 0 from range(20000) t(i)",
        {"run": run},
    )
    con.execute(
        "insert into findings select $run, 'https://shop.example/p/' || i, 'k' || i,"
        " 'title_missing', 'titles', 'high', 'Title missing', 'Add one', null, null, null"
        " from range(20000) t(i)",
        {"run": run},
    )
    db.totals(run)
    path = render_report(con, run, tmp_path / "big.html")
    assert path.stat().st_size < 1_500_000
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("#page-table tbody tr")) == PAGE_LIMIT
    assert soup.select_one('article[data-check="title_missing"] .count').get_text() == "20,000"


def test_unknown_run_is_a_clear_error(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no run 'nope'"):
        render_report(con, "nope", tmp_path / "r.html")


def test_unanalysed_database_is_a_clear_error(tmp_path: Path) -> None:
    bare = duckdb.connect(":memory:")
    with pytest.raises(ReportError, match="analyse the run first"):
        render_report(bare, "any", tmp_path / "r.html")


def test_unwritable_path_raises_report_error(shop, con, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ReportError, match="cannot write the report"):
        render_report(con, shop.current, blocker / "sub" / "report.html")


def test_creates_parent_folders(shop, con, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "er" / "report.html"
    assert render_report(con, shop.current, out) == out
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]


def test_level_filter_works_without_script(shop, render) -> None:
    soup = render(shop.current)
    radios = soup.select('.level-filter input[type="radio"][name="level-filter"]')
    assert [r["id"] for r in radios] == [
        "show-all",
        "show-siloed",
        "show-shareable",
        "show-share-ready",
        "show-shared",
        "show-conversation",
    ]
    css = " ".join(s.get_text() for s in soup.find_all("style"))
    for radio in radios[1:]:
        level = radio["id"].removeprefix("show-")
        rule = f'main:has(#{radio["id"]}:checked) tr.page-row:not([data-level="{level}"])'
        assert rule in css
    assert "all" in radios[0].attrs.get("id") and radios[0].has_attr("checked")


def test_content_security_policy_forbids_every_load(shop, render) -> None:
    meta = render(shop.current).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    policy = {d.split()[0]: d.split()[1:] for d in meta["content"].split(";") if d.strip()}
    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy  # falls back to 'none'


def test_huge_crawled_titles_are_cut(con, db, tmp_path: Path) -> None:
    run = db.run("2026-12-01T0000Z-t", "2026-12-01 00:00:00")
    huge = "Ω" * 100_000
    db.levels(run, [db.Level(f"https://shop.example/{i}", title=huge) for i in range(50)])
    path = render_report(con, run, tmp_path / "t.html")
    assert path.stat().st_size < 200_000
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    title = soup.select_one("#page-table details p").get_text()
    assert title.endswith("Ω…") and len(title) < 250


def test_bidi_controls_in_crawled_text_show_as_markers(con, db, tmp_path: Path) -> None:
    """A right-to-left override cannot make ``photo‮gnp.exe`` read ``photoexe.png``."""
    run = db.run("2026-12-01T0000Z-b", "2026-12-01 00:00:00")
    every = "".join(BIDI_CONTROLS)
    db.levels(
        run,
        [
            db.Level("https://shop.example/rlo", title="photo\u202egnp.exe"),
            db.Level("https://shop.example/all", title=f"a{every}z"),
        ],
    )
    html = render_report(con, run, tmp_path / "b.html").read_text(encoding="utf-8")
    assert not set(html) & set(every)  # no control reaches the HTML, attributes included
    soup = BeautifulSoup(html, "html.parser")
    titles = {p.get_text() for p in soup.select("#page-table details p")}
    assert "Title: photo[U+202E]gnp.exe" in titles
    markers = "[U+061C][U+200E][U+200F][U+202A][U+202B][U+202C][U+202D][U+202E]"
    assert f"Title: a{markers}[U+2066][U+2067][U+2068][U+2069]z" in titles
