"""Write one run's main tables as an ``.xlsx`` workbook a shop owner opens by double-click.

CSV makes the reader pick an encoding, a delimiter and column types; a workbook carries
them. Sheets: findings, pages (levels and signals), profile health, trends. Each has a
frozen, filterable header row, columns sized to their first rows, numbers as numbers and
instants as dates (``TIMESTAMP_TEXT`` of the exports, typed by DuckDB).

XlsxWriter rather than openpyxl: its ``constant_memory`` mode writes each row to disk as it
comes, so memory stays flat however many pages a run has (rows arrive from DuckDB in
batches, never as a whole table), and it writes faster. Crawled text is written by
strangers, so every text goes through ``write_string``: a title ``=HYPERLINK(…)`` stays the
text it is and never becomes a formula.

>>> write_workbook(con, "2026-11-23T115000Z-ab12cd", Path("out"))  # doctest: +SKIP
PosixPath('out/exports/2026-11-23T115000Z-ab12cd/workbook.xlsx')
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from unsilo.pipeline.queries import load_sql
from unsilo.reports.context import ReportError
from unsilo.reports.exports import WORKBOOK, column_select, existing_tables, export_dir

WORKBOOK_NAME = WORKBOOK

SHEETS: tuple[tuple[str, str], ...] = (
    ("findings", "findings"),
    ("pages", "page_levels"),
    ("profile health", "profile_health"),
)
"""(sheet, table) read straight from a table of the run; trends come from a query."""

BATCH_ROWS = 2000
MAX_ROWS = 1_048_575  # Excel's rows per sheet, less the header
MAX_CELL_TEXT = 32_767  # Excel's characters per cell
MAX_WIDTH = 60


def write_workbook(con: duckdb.DuckDBPyConnection, run_id: str, out_dir: Path) -> Path:
    """Write ``<out_dir>/exports/<run_id>/workbook.xlsx``; return its path.

    Tables the database lacks (a run without the social step) are left out. Written under a
    temporary name first, so a reader never opens half a workbook.
    """
    folder = export_dir(out_dir, run_id)
    out = folder / WORKBOOK_NAME
    partial = folder / f".{WORKBOOK_NAME}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        book = xlsxwriter.Workbook(
            str(partial),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "remove_timezone": True,
                "nan_inf_to_errors": True,
            },
        )
        formats = _Formats(book)
        present = set(existing_tables(con))
        for sheet, table in SHEETS:
            if table in present:
                query = (  # the table name comes from SHEETS, its columns from the catalog
                    f"select * exclude (run_id) from (select {column_select(con, table, 'xlsx')}"
                    f' from "{table}" where run_id = $run_id)'
                )
                _write_sheet(
                    book.add_worksheet(sheet), con.execute(query, {"run_id": run_id}), formats
                )
        if "trends" in present:
            cursor = con.execute(load_sql("workbook_trends"), {"run_id": run_id})
            _write_sheet(book.add_worksheet("trends"), cursor, formats)
        book.close()
        partial.replace(out)
    except (OSError, xlsxwriter.exceptions.XlsxWriterException) as exc:
        raise ReportError(f"cannot write workbook {out}: {exc}") from exc
    return out


class _Formats:
    """The few cell formats a workbook shares (XlsxWriter wants them made once)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "bottom": 1})
        self.when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.day = book.add_format({"num_format": "yyyy-mm-dd"})


def _write_sheet(sheet: Worksheet, cursor: duckdb.DuckDBPyConnection, formats: _Formats) -> None:
    """Header, rows in batches, then widths, frozen header and filter over what was written."""
    names = [d[0] for d in cursor.description]
    widths = [len(name) + 2 for name in names]
    for col, name in enumerate(names):
        sheet.write_string(0, col, name, formats.header)
    row = 0
    first = True
    while row < MAX_ROWS and (batch := cursor.fetchmany(BATCH_ROWS)):
        for values in batch[: MAX_ROWS - row]:
            row += 1
            for col, value in enumerate(values):
                _write_cell(sheet, row, col, value, formats)
        if first:  # widths from the header and the first batch: a sample, not a scan
            for values in batch:
                for col, value in enumerate(values):
                    widths[col] = max(widths[col], _shown_length(value))
            first = False
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(width, MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, row, max(len(names) - 1, 0))


def _write_cell(sheet: Worksheet, row: int, col: int, value: Any, formats: _Formats) -> None:
    """One typed cell; ``None`` stays blank. Text is always a string cell, never a formula."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float | Decimal):
        number = float(value)
        if math.isfinite(number):
            sheet.write_number(row, col, number)
        else:
            sheet.write_string(row, col, str(value))
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, formats.when)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, formats.day)
    else:
        sheet.write_string(row, col, str(value)[:MAX_CELL_TEXT])


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 21
    return min(len(str(value)), MAX_WIDTH) + 2
