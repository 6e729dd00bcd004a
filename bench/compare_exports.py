"""Compare the CSV exports of two audits row by row: did a refactoring change what users see?

A restructuring (new SQL layout, typed columns, adapters) must leave the demo audit's pages,
findings, levels and profile health as they were. Run the demo audit before and after and
hand both export folders (or report folders) to this script:

    unsilo audit --demo --db /tmp/before.duckdb --out /tmp/before     # on the old commit
    unsilo audit --demo --db /tmp/after.duckdb --out /tmp/after       # on the new one
    python bench/compare_exports.py /tmp/before /tmp/after

What differs between any two runs is masked before comparing: the demo servers' random
``127.0.0.1:PORT``, run ids and timestamps, response times, and the referrer and crawl depth
(which link reached a page first depends on timing; the click depth is compared). Columns
that exist on one side only are listed (a new typed column is expected) and the rows are
compared on the columns both sides have.
The comparison runs in DuckDB (``EXCEPT ALL`` both ways), so duplicates count too. Exit 0
when every table matches, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

TABLES = (
    "pages",
    "page_facts",
    "findings",
    "page_levels",
    "shop_profiles",
    "profile_health",
    "profiles",
    "posts",
    "post_links",
    "shop_post_links",
)
SKIPPED_COLUMNS = {"run_id", "response_ms", "fetched_at", "referrer", "crawl_depth"}
"""Differ between any two crawls of the same shop: timing, and which link was followed first."""
SKIPPED_PER_TABLE = {"pages": {"depth"}}
"""``pages.depth`` is the depth the crawl first reached a page at; page_facts has click depth."""
HOST = r"127\.0\.0\.1:[0-9]+"
TIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
RUN_ID = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{6}Z-[0-9a-f]{6}"


def export_folder(path: Path) -> Path:
    """An exports folder of one run: the folder itself, or the only run under ``exports/``."""
    if any(path.glob("*.csv")):
        return path
    runs = sorted(p for p in (path / "exports").glob("*") if p.is_dir())
    if len(runs) != 1:
        raise SystemExit(f"{path}: expected one run under exports/, found {len(runs)}")
    return runs[0]


def columns(con: duckdb.DuckDBPyConnection, csv: Path, ignored: set[str]) -> list[str]:
    rel = con.sql("select * from read_csv($p, all_varchar = true) limit 0", params={"p": str(csv)})
    skipped = SKIPPED_COLUMNS | SKIPPED_PER_TABLE.get(csv.stem, set()) | ignored
    return [c for c in rel.columns if c not in skipped]


def masked_select(csv: Path, names: list[str]) -> str:
    """SELECT of ``names`` with hosts, run ids and times masked (names are quoted identifiers)."""
    masked = []
    for name in names:
        ident = '"' + name.replace('"', '""') + '"'
        value = f"regexp_replace({ident}, '{HOST}', 'SHOP', 'g')"
        value = f"regexp_replace({value}, '{RUN_ID}', 'RUN', 'g')"
        value = f"regexp_replace({value}, '{TIME}', 'TIME', 'g')"
        masked.append(f"{value} as {ident}")
    path = str(csv).replace("'", "''")
    return f"select {', '.join(masked)} from read_csv('{path}', all_varchar = true)"


def compare_table(
    con: duckdb.DuckDBPyConnection, before: Path, after: Path, ignored: set[str]
) -> list[str]:
    """Lines describing how ``after`` differs from ``before``; empty when the rows match."""
    old_cols, new_cols = columns(con, before, ignored), columns(con, after, ignored)
    common = [c for c in old_cols if c in new_cols]
    notes = []
    if gone := [c for c in old_cols if c not in new_cols]:
        notes.append(f"  columns gone: {', '.join(gone)}")
    if added := [c for c in new_cols if c not in old_cols]:
        notes.append(f"  columns added (not compared): {', '.join(added)}")
    old_sql, new_sql = masked_select(before, common), masked_select(after, common)
    only_old = con.execute(f"{old_sql} except all {new_sql}").fetchall()
    only_new = con.execute(f"{new_sql} except all {old_sql}").fetchall()
    for label, rows in (("only before", only_old), ("only after", only_new)):
        for row in rows[:3]:
            notes.append(f"  {label}: {str(dict(zip(common, row, strict=True)))[:400]}")
        if len(rows) > 3:
            notes.append(f"  … {len(rows) - 3} more rows {label}")
    return notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--table", action="append", help="compare only these tables")
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="TABLE.COLUMN",
        help="leave a column out, e.g. one whose JSON gained a field on purpose",
    )
    args = parser.parse_args()
    before, after = export_folder(args.before), export_folder(args.after)
    con = duckdb.connect()
    same = True
    for table in args.table or TABLES:
        old, new = before / f"{table}.csv", after / f"{table}.csv"
        if not old.is_file() or not new.is_file():
            print(f"{table}: missing on one side ({old.is_file()=}, {new.is_file()=})")
            same = False
            continue
        ignored = {c.split(".", 1)[1] for c in args.ignore if c.startswith(f"{table}.")}
        notes = compare_table(con, old, new, ignored)
        notes += [f"  ignored as asked: {', '.join(sorted(ignored))}"] if ignored else []
        rows = con.execute("select count(*) from read_csv($p)", {"p": str(old)}).fetchone()
        differs = any(n.startswith(("  only", "  …", "  columns gone")) for n in notes)
        same = same and not differs
        print(f"{table}: {'DIFFERS' if differs else 'same'} ({rows[0] if rows else 0} rows)")
        for note in notes:
            print(note)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
