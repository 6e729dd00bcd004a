"""The report's "What changed" section and the change exports, end to end from two runs in a
DuckDB: what a reader sees (hostile text escaped, javascript: never linked, the rest counted
"in the export"), what a pruned or not-like-for-like comparison says instead, and the
``changes_*`` files (every row, ``csv_cell`` and a BOM in CSV; none without a comparison)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from tests.reports.conftest import JS_URL, Health, add_social_tables, insert_health
from unsilo.reports.change_exports import export_changes
from unsilo.reports.changes import CHANGE_LIMIT, CHANGE_MODELS
from unsilo.reports.exports import exported_files

OLD, NEW = "2026-10-01T000000Z-aaaaaa", "2026-11-01T000000Z-cccccc"
FORMULA_TITLE = '=HYPERLINK("https://evil.example","<b>click</b>")'
SCRIPT_TITLE = "<script>alert(1)</script>"
MOVED = CHANGE_LIMIT + 4  # more pages move than the report shows


@pytest.fixture
def history(con: duckdb.DuckDBPyConnection, db) -> None:
    """Two like-for-like runs of s.example: MOVED pages climb, one with hostile titles, a
    javascript: page is newly shared, a bridge breaks, a finding is fixed, a profile grows."""
    L = db.Level
    db.run(OLD, "2026-10-01 02:00:00", site="s.example", pages=MOVED + 2)
    db.run(NEW, "2026-11-01 02:00:00", site="s.example", pages=MOVED + 2)
    climbing = [f"https://s.example/p/{i:02}" for i in range(MOVED)]
    db.crawled(OLD, [*climbing, "https://s.example/gone"])
    db.crawled(NEW, [*climbing, JS_URL])
    db.levels(OLD, [L(url, "siloed", 0) for url in climbing])
    titles = {climbing[0]: SCRIPT_TITLE, climbing[1]: FORMULA_TITLE}
    db.levels(
        NEW,
        [L(url, "shareable", 16, title=titles.get(url, "Shoe")) for url in climbing]
        + [L(JS_URL, "shared", 64, title=SCRIPT_TITLE, shares=2, shared_on=["lemmy"])],
    )
    db.findings(OLD, [db.Finding(climbing[2], "title_missing", "high")])
    db.findings(NEW, [db.Finding(climbing[3], "title_missing", "high", message=SCRIPT_TITLE)])
    db.bridge(NEW, climbing[4], SCRIPT_TITLE, ["https://l.example/1"])
    add_social_tables(con)
    insert_health(con, OLD, [Health("@shop", followers=100)])
    insert_health(con, NEW, [Health("@shop", followers=150), Health(SCRIPT_TITLE, "x")])


def test_changes_section_shows_each_kind_of_change(history, render) -> None:
    soup = render(NEW)
    section = soup.select_one("section#changes")
    assert OLD in section.select_one("#changes-against").get_text()
    moves = section.select("#changes-levels tr.move")
    assert len(moves) == CHANGE_LIMIT
    more = section.select_one('.more-rows[data-export="changes_levels"]').get_text(" ", strip=True)
    assert more == f"{MOVED - CHANGE_LIMIT} more in the export changes_levels ."
    assert "siloed → shareable" in moves[0].get_text(" ", strip=True)
    title_missing = section.select_one('#changes-findings tr[data-check="title_missing"]')
    assert [td.get_text(strip=True) for td in title_missing.select("td.n")] == ["1", "1", "0"]
    assert [r["data-change"] for r in section.select("#changes-pages tr")[1:]] == ["new", "gone"]
    assert len(section.select("#changes-bridges tr.new-bridge")) == 1
    assert section.select_one("#changes-signals td.url .url").get_text(strip=True) == JS_URL
    growing = section.select_one('#changes-profiles tr[data-change="changed"]')
    assert "100 → 150" in growing.get_text(" ", strip=True)
    assert section.select_one("#changes-common") is None  # like for like


def test_hostile_text_in_the_changes_is_shown_never_run(history, render) -> None:
    section = render(NEW).select_one("section#changes")
    assert section.find("script") is None and section.find("b") is None
    text = section.get_text(" ", strip=True)
    assert SCRIPT_TITLE in text and FORMULA_TITLE in text
    assert not [a for a in section.find_all("a") if not a["href"].startswith("https://")]
    assert JS_URL in section.select_one("#changes-pages").get_text()  # shown as text


def test_a_pruned_comparison_says_page_changes_are_unavailable(history, db, render) -> None:
    db.prune(OLD)
    section = render(NEW).select_one("section#changes")
    note = section.select_one("#changes-pruned").get_text(" ", strip=True)
    assert note.startswith(f"Page-level changes are not available: run {OLD} was pruned")
    for table in ("levels", "findings", "pages", "bridges", "signals"):
        assert section.select_one(f"#changes-{table}") is None, table
    assert "100 → 150" in section.select_one("#changes-profiles").get_text(" ", strip=True)


def test_not_like_for_like_changes_say_so(history, con, render) -> None:
    con.execute("update runs set status = 'partial', reason = 'stopped' where run_id = $1", [OLD])
    section = render(NEW).select_one("section#changes")
    assert section.select_one("#changes-common") is not None
    labels = [r.td.get_text(strip=True) for r in section.select("#changes-pages tbody tr")]
    assert labels == ["only now", "only before"]
    assert section.select_one("#changes-bridges tr.new-bridge") is not None  # both crawled it


def test_first_run_has_nothing_to_compare(db, render) -> None:
    db.run(NEW, "2026-11-01 02:00:00", pages=1)
    db.levels(NEW, [db.Level("https://s.example/a")])
    section = render(NEW).select_one("section#changes")
    assert "Nothing to compare with yet" in section.select_one("#changes-none").get_text()


def read_csv(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, as every export
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_change_exports_hold_every_row_safe_for_spreadsheets(history, con, tmp_path) -> None:
    files = export_changes(con, NEW, tmp_path)
    folder = tmp_path / "exports" / NEW
    assert sorted(p.name for p in files) == sorted(
        f"{name}.{fmt}" for name in CHANGE_MODELS for fmt in ("csv", "parquet")
    )
    levels = read_csv(folder / "changes_levels.csv")
    assert len(levels) == MOVED  # all of them, not the report's first rows
    titles = {row["url"]: row["title"] for row in levels}
    assert titles["https://s.example/p/01"] == "'" + FORMULA_TITLE  # csv_cell
    assert titles["https://s.example/p/00"] == SCRIPT_TITLE
    assert levels[0]["points_gained"] == "[]"  # lists as JSON text
    [(raw,)] = con.execute(
        "select title from read_parquet($1) where url = 'https://s.example/p/01'",
        [str(folder / "changes_levels.parquet")],
    ).fetchall()
    assert raw == FORMULA_TITLE  # Parquet keeps the raw text
    by_url = read_csv(folder / "changes_findings.csv")
    assert sorted((r["change"], r["check"], r["url"]) for r in by_url) == [
        ("fixed", "title_missing", "https://s.example/p/02"),
        ("new", "broken_bridge", "https://s.example/p/04"),
        ("new", "title_missing", "https://s.example/p/03"),
    ]
    assert set(folder.iterdir()) >= set(exported_files(tmp_path, NEW))
    assert {p.stem for p in exported_files(tmp_path, NEW)} == set(CHANGE_MODELS)


def test_change_exports_follow_the_comparison(history, con, db, tmp_path) -> None:
    folder = tmp_path / "exports" / NEW
    export_changes(con, NEW, tmp_path)
    db.prune(OLD)
    written = export_changes(con, NEW, tmp_path)
    assert sorted(p.name for p in written) == ["changes_profiles.csv", "changes_profiles.parquet"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)
    con.execute("delete from runs where run_id = $1", [OLD])  # nothing left to compare with
    assert export_changes(con, NEW, tmp_path) == [] and list(folder.iterdir()) == []
