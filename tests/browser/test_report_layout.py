"""The report in a real browser (headless Chromium): nothing scrolls sideways on a 360 px
phone or a 1400 px desktop, the charts' text stays legible on the phone, and the demo's
report prints on at most ten A4 pages (in English and in Danish), its page table cut to the
rows that need work most with a printed note that the full list is in the exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.chrome import A4_POINTS, Chrome, pdf_pages
from tests.reports.conftest import Finding, Level
from unsilo.report_run import analyse_and_render
from unsilo.reports.render import render_index, render_report

PHONE, DESKTOP = 360, 1400
LONG_URL = "https://shop.example/kategori/" + "meget-lang-produktnavn-uden-mellemrum-" * 4 + "1"

OVERFLOWING = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)"""
"""Up to five elements that stick out on the right: what a failing width check names."""


def widths(chrome: Chrome, page: Path, width: int) -> dict:
    """The document's scroll width and the viewport's width, as a phone or a desktop."""
    chrome.open(page, width, 800, mobile=width < 600)
    return chrome.evaluate(
        "({scroll: document.documentElement.scrollWidth, viewport: innerWidth,"
        " client: document.documentElement.clientWidth})"
    )


def assert_fits(chrome: Chrome, page: Path, width: int) -> None:
    seen = widths(chrome, page, width)
    overflowing = chrome.evaluate(OVERFLOWING)
    assert seen == {"scroll": width, "viewport": width, "client": width}, overflowing


def text_heights(chrome: Chrome, selector: str) -> list[float]:
    """The rendered height (CSS px) of each shown text matching ``selector``."""
    return chrome.evaluate(
        f"[...document.querySelectorAll({selector!r})]"
        ".filter(t => getComputedStyle(t).display !== 'none')"
        ".map(t => t.getBoundingClientRect().height)"
    )


@pytest.fixture
def trend_report(con, db, shop, tmp_path: Path) -> Path:  # noqa: F811 - fixtures from tests.reports
    """A third run of the report builders' shop: a trend chart, a long URL, every section."""
    run = db.run("2026-12-01T000000Z-dddddd", "2026-12-01 02:00:00", pages=5, html_pages=5)
    db.levels(
        run,
        [
            Level("https://shop.example/", "share-ready", 100, "home"),
            Level(LONG_URL, "siloed", 10, title="Et produkt med et meget langt navn " * 3),
            Level("https://shop.example/c/1", "shareable", 40, "category"),
        ],
    )
    db.findings(run, [Finding(LONG_URL, "title_missing", "high")])
    db.source(run, "hackernews", "ok", found=5)
    db.totals(run)
    out = tmp_path / "out"
    render_index(con, out)
    return render_report(con, run, out / "runs" / f"{run}.html")


def test_demo_report_has_no_sideways_scroll_on_a_phone_or_a_desktop(
    demo_signals_audit, chrome: Chrome
) -> None:
    report = demo_signals_audit.out / "report.html"
    for width in (PHONE, DESKTOP):
        assert_fits(chrome, report, width)
    assert_fits(chrome, demo_signals_audit.out / "index.html", PHONE)


def test_trend_report_fits_a_phone_with_legible_charts_and_short_urls(
    trend_report: Path, chrome: Chrome
) -> None:
    assert_fits(chrome, trend_report, PHONE)
    # a 720-unit chart drawn 336 px wide made 12-unit text 5 px tall: now at least 9 px
    for chart in ("svg.trend-chart > text", "svg#level-chart text:not(.on-bar)"):
        heights = text_heights(chrome, chart)
        assert heights and min(heights) >= 9, (chart, heights)
    assert (
        chrome.evaluate("getComputedStyle(document.querySelector('.trend-legend')).display")
        == "block"
    )
    cell = "document.querySelector('#page-table .short-url')"
    assert chrome.evaluate(f"{cell}.title") == LONG_URL
    shown = chrome.evaluate(f"{cell}.textContent.trim()")
    assert "…" in shown and len(shown) <= 60
    # a card, not a squeezed table: the URL cell spans the card (no 3-letter lines)
    assert chrome.evaluate(f"{cell}.closest('td').getBoundingClientRect().width") > 250
    assert_fits(chrome, trend_report, DESKTOP)
    assert (
        chrome.evaluate("getComputedStyle(document.querySelector('.trend-legend')).display")
        == "none"
    )
    assert_fits(chrome, trend_report.parent.parent / "index.html", PHONE)


def test_demo_report_prints_on_at_most_ten_a4_pages(
    demo_signals_audit, chrome: Chrome, tmp_path: Path
) -> None:
    # Danish words run longer: the same ten pages
    danish = analyse_and_render(demo_signals_audit.db, None, tmp_path / "da", language="da")
    for report in (demo_signals_audit.out / "report.html", danish):
        chrome.open(report, DESKTOP)
        pages = pdf_pages(chrome.print_pdf())
        assert 1 <= len(pages) <= 10, (report.name, len(pages))
        assert set(pages) == {A4_POINTS}, set(pages)


def test_print_keeps_the_rows_that_need_work_opened_and_says_where_the_rest_is(
    demo_signals_audit, chrome: Chrome
) -> None:
    chrome.open(demo_signals_audit.out / "report.html", 800)
    chrome.page("Emulation.setEmulatedMedia", media="print")
    try:
        shown = "(s) => [...document.querySelectorAll(s)].filter(e => e.getClientRects().length)"
        rows = chrome.evaluate(f"({shown})('#page-table tr.page-row').length")
        total = chrome.evaluate("document.querySelectorAll('#page-table tr.page-row').length")
        assert total > 6 and rows == 6
        # the printed rows' points are open, though <details> is closed on screen
        assert chrome.evaluate(f"({shown})('#page-table ul.missed li').length") >= 6
        note = chrome.evaluate(
            "(() => { const n = document.querySelector('#page-table-print-note');"
            " return n.getClientRects().length ? n.textContent : null })()"
        )
        assert note and "first 6 of these" in note and "page_levels" in note
        # no controls on paper; a shortened URL prints whole
        assert chrome.evaluate(f"({shown})('nav.toc, .level-filter').length") == 0
        after = chrome.evaluate(
            "getComputedStyle(document.querySelector('#page-table .short-url'), '::after').content"
        )
        full = chrome.evaluate("document.querySelector('#page-table .short-url').title")
        assert after == f'"{full}"'
    finally:
        chrome.page("Emulation.setEmulatedMedia", media="")
