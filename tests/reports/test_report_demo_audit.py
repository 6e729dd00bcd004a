"""The report of a real audit of the demo shop (the shared session crawl): the figures a
reader sees agree with the marts the real analysis wrote, and the page links stay local."""

from __future__ import annotations

from bs4 import BeautifulSoup


def read(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_demo_report_agrees_with_the_marts(demo_audit) -> None:
    soup = read(demo_audit.out / "report.html")
    [(run_id, pages, html_pages)] = demo_audit.query("select run_id, pages, html_pages from runs")
    levels = dict(demo_audit.query("select level, count(*) from page_levels group by level"))
    [(findings,)] = demo_audit.query("select count(*) from findings")

    assert run_id in soup.select_one("header").get_text()
    assert soup.select_one('.card[data-figure="pages"] .value').get_text() == f"{pages:,}"
    assert soup.select_one('.card[data-figure="html_pages"] .value').get_text() == f"{html_pages:,}"
    shown = {
        tr["data-level"]: int(tr.find_all("td")[1].get_text().replace(",", ""))
        for tr in soup.select("#level-counts tbody tr")
    }
    assert {k: v for k, v in shown.items() if v} == levels
    counted = sum(
        int(g.select_one(".count").get_text().replace(",", ""))
        for g in soup.select("article.finding")
    )
    assert counted == findings
    rects = soup.select("svg#level-chart rect.segment")
    assert sum(int(r["data-pages"]) for r in rects) == sum(levels.values())
    assert "first run" in soup.select_one("#changes-since").get_text()


def test_demo_index_links_the_archived_report(demo_audit) -> None:
    soup = read(demo_audit.out / "index.html")
    [(run_id,)] = demo_audit.query("select run_id from runs")
    link = soup.select_one(f'tr[data-run="{run_id}"] a.report-link')
    archived = read(demo_audit.out / link["href"])
    latest = read(demo_audit.out / "report.html")
    assert archived.find("h1").get_text() == latest.find("h1").get_text()
    for report, folder in ((archived, demo_audit.out / "runs"), (latest, demo_audit.out)):
        hrefs = [a["href"] for a in report.select("#export-links a.export")]
        assert hrefs and all((folder / h).resolve().is_file() for h in hrefs)


def test_demo_exports_are_written_and_linked_from_the_archived_report(demo_audit) -> None:
    [(run_id,)] = demo_audit.query("select run_id from runs")
    archived = demo_audit.out / "runs" / f"{run_id}.html"
    hrefs = [a["href"] for a in read(archived).select("#export-links a.export")]
    assert any(h.endswith("/page_levels.parquet") for h in hrefs)
    assert all((archived.parent / h).resolve().is_file() for h in hrefs)
    exported = demo_audit.out / "exports" / run_id / "page_levels.parquet"
    [(count,)] = demo_audit.query("select count(*) from read_parquet(?)", [str(exported)])
    assert count == demo_audit.query("select count(*) from page_levels")[0][0] > 0


def test_demo_audit_finds_the_share_problems_the_shop_was_built_with(
    demo_audit, demo_shop, demo_server
) -> None:
    from unsilo.demo.expectations import build_expectations

    expected = build_expectations(demo_shop)
    base = demo_server.url.rstrip("/")

    def pages_with(check: str) -> set[str]:
        rows = demo_audit.query('select url from findings where "check" = ?', [check])
        return {url.removeprefix(base) for (url,) in rows}

    [(probed,)] = demo_audit.query("select count(*) from og_images where status = 200")
    assert probed > 0
    assert pages_with("og_image_too_small") == set(expected["small_og_images"])
    assert pages_with("og_image_not_absolute") == set(expected["og"]["relative_image"])
    assert pages_with("og_image_unreachable") == set()  # every demo image answers
    assert set(expected["og"]["missing_image"]) <= pages_with("og_incomplete")
    fixes = read(demo_audit.out / "report.html").select("#top-fix-list li")
    assert fixes and fixes[0].select_one(".badge").get_text() in {"critical", "high"}
