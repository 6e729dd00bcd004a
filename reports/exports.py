"""Write one run's rows of every stored table to CSV and Parquet files beside its report.

The report shows a few hundred rows; the exports hold all of them, for a spreadsheet or a
notebook. DuckDB writes the files itself (``COPY … TO``), so Python never loops over rows.
Parquet keeps lists and structs as they are; CSV has no such types, so those columns become
JSON text there (``["a","b"]``), never a lossy ``"a@@b"``.

The CSV files are for spreadsheets, and crawled text is written by strangers: a text cell
that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading
single quote, as OWASP's CSV-injection guidance says (SQL macro ``csv_cell``), so opening
the file never runs ``=HYPERLINK(…)``. The files start with a UTF-8 byte order mark, without
which Excel guesses a legacy code page and mangles ``æøå`` (LibreOffice's import asks for
the character set whatever the file starts with; the workbook needs no such choice).
Parquet keeps the raw text, for notebooks.

>>> export_run(con, "2026-11-23T115000Z-ab12cd", Path("out"))  # doctest: +SKIP
[PosixPath('out/exports/2026-11-23T115000Z-ab12cd/pages.csv'), ...]
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import duckdb

from unsilo.reports.changes import CHANGE_MODELS
from unsilo.reports.context import ReportError

EXPORTS_DIR = "exports"
"""Folder under the output folder holding ``<run_id>/<table>.<format>``."""

EXPORT_TABLES: tuple[str, ...] = (
    "pages",
    "links",
    "page_social",
    "profile_links",
    "page_products",
    "sitemap_urls",
    "sitemaps",
    "robots_txt",
    "crawl_traps",
    "profiles",
    "posts",
    "post_links",
    "page_facts",
    "findings",
    "page_levels",
    "shop_profiles",
    "profile_health",
    "profile_post_links",
    "shop_post_links",
    "trends",  # one row per run and measure: the run's totals, as the trend chart reads them
)
"""The only names ever put into SQL text: table names never come from input."""

FORMATS: dict[str, str] = {
    "csv": "(FORMAT csv, HEADER true)",
    "parquet": "(FORMAT parquet)",
}
"""Fixed COPY options per format; a format outside this map is refused."""

WORKBOOK = "workbook.xlsx"
"""The run's main tables as one spreadsheet (``unsilo.reports.workbook`` writes it)."""

NESTED_PREFIXES = ("STRUCT", "MAP", "UNION")

BOM = "\ufeff".encode()
"""Starts every CSV export, so spreadsheets read it as UTF-8."""


def export_dir(out_dir: Path, run_id: str) -> Path:
    """``<out_dir>/exports/<run_id>``; a run id that would leave that folder is refused."""
    if not run_id or Path(run_id).name != run_id or run_id.startswith("."):
        raise ReportError(f"run id {run_id!r} cannot name an export folder")
    return Path(out_dir) / EXPORTS_DIR / run_id


def existing_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The allow-listed tables this database has, in ``EXPORT_TABLES`` order.

    Older databases (or runs without the social step) lack some marts; they are skipped.
    """
    found = {
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables()"
            " where database_name = current_database() and schema_name = current_schema()"
        ).fetchall()
    }
    return [t for t in EXPORT_TABLES if t in found]


def export_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    out_dir: Path,
    formats: Iterable[str] = ("csv", "parquet"),
) -> list[Path]:
    """Write run ``run_id``'s rows of every existing table; return the files written.

    Files are ``<out_dir>/exports/<run_id>/<table>.<format>``, each written under a
    temporary name first so a reader never opens half a file.
    """
    formats = list(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ReportError(f"unknown export format(s) {unknown}; choose from {sorted(FORMATS)}")
    folder = export_dir(out_dir, run_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot write exports to {folder}: {exc.strerror or exc}") from exc
    written = []
    for table in existing_tables(con):
        for fmt in formats:
            written.append(_copy(con, table, fmt, run_id, folder / f"{table}.{fmt}"))
    return written


def exported_files(out_dir: Path, run_id: str) -> list[Path]:
    """The export files present for a run: the workbook first, then the tables in table
    then format order (none → empty); the change relations (``unsilo.reports.change_exports``)
    come last."""
    try:
        folder = export_dir(out_dir, run_id)
    except ReportError:
        return []
    workbook = [folder / WORKBOOK] if (folder / WORKBOOK).is_file() else []
    return workbook + [
        folder / f"{table}.{fmt}"
        for table in (*EXPORT_TABLES, *CHANGE_MODELS)
        for fmt in FORMATS
        if (folder / f"{table}.{fmt}").is_file()
    ]


def _copy(con: duckdb.DuckDBPyConnection, table: str, fmt: str, run_id: str, out: Path) -> Path:
    """One ``COPY``: identifiers from the allow-list and the catalog, values as parameters."""
    assert table in EXPORT_TABLES, table
    columns = column_select(con, table, fmt)
    partial = out.with_name(f".{out.name}.partial")
    query = (
        f'copy (select {columns} from "{table}" where run_id = $run_id)'
        f" to {_sql_string(str(partial))} {FORMATS[fmt]}"
    )
    try:
        con.execute(query, {"run_id": run_id})
        if fmt == "csv":
            partial = with_bom(partial)
        partial.replace(out)
    except (duckdb.IOException, OSError) as exc:
        raise ReportError(f"cannot write export {out}: {exc}") from exc
    return out


def with_bom(path: Path) -> Path:
    """A copy of ``path`` that starts with the UTF-8 byte order mark; the original goes.

    DuckDB's CSV writer has no BOM option (its ``prefix`` needs the header switched off).
    """
    marked = path.with_name(f"{path.name}.bom")
    with path.open("rb") as source, marked.open("wb") as target:
        target.write(BOM)
        shutil.copyfileobj(source, target, 1024 * 1024)
    path.unlink()
    return marked


TIMESTAMP_TEXT: frozenset[tuple[str, str]] = frozenset(
    {
        ("pages", "fetched_at"),
        ("pages", "unavailable_after"),
        ("page_facts", "unavailable_after"),
        ("page_levels", "first_shared"),
        ("page_levels", "first_captured"),
        ("posts", "created_at"),
        ("profiles", "created_at"),
        ("profiles", "fetched_at"),
    }
)
"""Instants the crawl stores as ISO 8601 text (items carry text); typed ``TIMESTAMP`` (UTC)
where the format has types. ``sitemap_urls.lastmod`` stays text: it is what the sitemap
wrote, valid or not, and that is the finding."""


def column_select(con: duckdb.DuckDBPyConnection, table: str, fmt: str) -> str:
    """Every column of ``table`` in table order, as ``fmt`` holds it (``select_list``)."""
    rows = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_name = $table and table_schema = current_schema()"
        " and table_catalog = current_database() order by ordinal_position",
        {"table": table},
    ).fetchall()
    return select_list(rows, fmt, table)


def select_list(columns: Iterable[tuple[str, str]], fmt: str, table: str = "") -> str:
    """A select list for ``(name, type)`` columns as ``fmt`` holds them: the one place that
    decides how a stored column becomes an export cell (tables here, the change relations
    in ``unsilo.reports.change_exports``, the workbook's sheets).

    CSV and xlsx have no lists or structs: those become JSON text. CSV text cells are
    neutralised for spreadsheets (``csv_cell``; the workbook writes string cells instead).
    Parquet and xlsx have a timestamp type: the text instants of ``TIMESTAMP_TEXT`` (by
    ``table``) get it (text that is no instant becomes NULL there; CSV keeps it as written).
    """
    parts = []
    for name, data_type in columns:
        ident = _identifier(name)
        if fmt != "parquet" and _is_nested(data_type):
            parts.append(f"cast(to_json({ident}) as varchar) as {ident}")
        elif fmt == "csv" and data_type.upper() == "VARCHAR":
            parts.append(f"csv_cell({ident}) as {ident}")
        elif fmt != "csv" and (table, name) in TIMESTAMP_TEXT:
            parts.append(f"try_cast({ident} as timestamptz) at time zone 'UTC' as {ident}")
        else:
            parts.append(ident)
    return ", ".join(parts)


def _is_nested(data_type: str) -> bool:
    """LIST (``VARCHAR[]``), ARRAY (``INTEGER[3]``), STRUCT, MAP and UNION columns."""
    return data_type.endswith("]") or data_type.upper().startswith(NESTED_PREFIXES)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_string(text: str) -> str:
    """A file path as a SQL string literal (COPY takes no parameter for its target)."""
    return "'" + text.replace("'", "''") + "'"
