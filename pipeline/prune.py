"""Retention: drop the per-page rows of old runs, keep every run's totals.

Monthly runs of a 2,000-page shop add up: pages, links, posts, signals and the per-page marts
are nearly all of the database. What the index of runs and a comparison need is small and is
kept for every run: the ``runs`` row, the ``trends`` mart (levels, scores, findings by
severity and by check, signals per source, profile followers and cadence: the trend chart's
every point), section levels, profiles and their health, and how each signal
source answered (``KEPT_TABLES``). Every other table with a ``run_id`` loses the run's rows.

Which runs stay whole is restic's rule, per site (scheme and host, as comparisons group):

* ``keep_latest`` — the M newest runs;
* ``keep_monthly`` — the newest run of each of the N most recent calendar months that
  have runs (months without a run do not use up N, so a paused cron loses nothing).

Only runs with pages that are complete or partial count for both; a run still running is
never touched. A pruned run keeps its row with ``pruned_at`` set: the index shows it with
"raw rows pruned", and ``unsilo report`` refuses to render it again as if it were whole.

>>> plan = plan_prune(con, keep_monthly=12, keep_latest=3)  # doctest: +SKIP
>>> prune_runs(con, plan)  # doctest: +SKIP
{'pages': 182000, 'links': 2400000, ...}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.comparison import site_of
from unsilo.pipeline.queries import run_sql

KEPT_TABLES = frozenset(
    {
        "runs",
        "run_batches",  # one row per stored batch: keeps a resumed feed from storing it twice
        "trends",
        "section_levels",
        "shop_profiles",
        "profiles",
        "profile_health",
        "signal_sources",
    }
)
"""Tables whose rows every run keeps: one row (or a handful) per run, never per page."""


@dataclass(frozen=True, slots=True)
class RunToPrune:
    """A run the plan names, with what a person recognises it by."""

    run_id: str
    site: str
    started_at: datetime | None
    status: str | None
    pages: int


@dataclass(frozen=True, slots=True)
class PrunePlan:
    """Runs kept whole and runs whose per-page rows go (newest first)."""

    keep: list[RunToPrune] = field(default_factory=list)
    prune: list[RunToPrune] = field(default_factory=list)


def plan_prune(
    con: duckdb.DuckDBPyConnection, *, keep_monthly: int = 0, keep_latest: int = 0
) -> PrunePlan:
    """Which runs stay whole and which lose their per-page rows (already pruned: neither)."""
    cursor = run_sql(con, "comparison_runs")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    keep: set[str] = set()
    by_site: dict[str, list[dict]] = {}
    for row in rows:
        if row["status"] in ("complete", "partial") and row["pages"]:
            by_site.setdefault(site_of(row["start_url"]), []).append(row)
    for runs in by_site.values():  # newest first, as the query sorts
        keep.update(run["run_id"] for run in runs[:keep_latest])
        months: list[str] = []
        for run in runs:
            month = run["started_at"].strftime("%Y-%m") if run["started_at"] else ""
            if month not in months and len(months) < keep_monthly:
                months.append(month)
                keep.add(run["run_id"])
    plan = PrunePlan()
    for row in rows:
        if row["pruned_at"] is not None or row["status"] == "running":
            continue
        run = RunToPrune(
            row["run_id"], site_of(row["start_url"]), row["started_at"], row["status"], row["pages"]
        )
        (plan.keep if row["run_id"] in keep else plan.prune).append(run)
    return plan


def prune_runs(con: duckdb.DuckDBPyConnection, plan: PrunePlan) -> dict[str, int]:
    """Delete the per-page rows of ``plan.prune``'s runs; returns rows deleted per table.

    A run without totals yet (never analysed, or analysed before ``trends`` existed) is
    analysed first, so what the index and comparisons read is there before its rows go.
    Each run is pruned in one transaction: a crash leaves it whole or pruned, never half.
    """
    deleted: dict[str, int] = {}
    tables = per_run_tables(con)
    for run in plan.prune:
        if run.status in ("complete", "partial", "failed") and not _has_totals(con, run.run_id):
            analyse(con, run.run_id)
        con.execute("BEGIN TRANSACTION")
        try:
            for table in tables:
                (count,) = con.execute(
                    f"DELETE FROM {table} WHERE run_id = $r", {"r": run.run_id}
                ).fetchone() or (0,)
                deleted[table] = deleted.get(table, 0) + int(count)
            con.execute(
                "update runs set pruned_at = $now where run_id = $r",
                {"r": run.run_id, "now": datetime.now(UTC).replace(tzinfo=None)},
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return {table: count for table, count in sorted(deleted.items()) if count}


def per_run_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table with a ``run_id`` column except ``KEPT_TABLES``: what a prune empties."""
    rows = con.execute(
        "select distinct table_name from duckdb_columns() "
        "where column_name = 'run_id' and database_name = current_database() "
        "and schema_name = 'main' order by table_name"
    ).fetchall()
    return [name for (name,) in rows if name not in KEPT_TABLES]


def compact(path: Path) -> None:
    """Give the freed space back: rewrite the database file into a fresh one.

    Deleted rows free blocks that DuckDB reuses, but ``CHECKPOINT`` and ``VACUUM`` never
    shrink the file (measured: 24 monthly runs of a 2,000-page shop, 21 pruned, stayed at
    113.3 MB). ``COPY FROM DATABASE`` into a new file keeps every table, constraint and row
    and leaves the holes behind (19.7 MB); it replaces the old file only once complete.
    Call it holding the database lock, with no connection open.
    """
    path = Path(path)
    fresh = path.with_name(f".{path.name}.compact")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("CHECKPOINT")
        (name,) = con.execute("select current_database()").fetchone() or ("",)
        target = str(fresh).replace("'", "''")
        con.execute(f"ATTACH '{target}' AS unsilo_compacted")
        con.execute(f'COPY FROM DATABASE "{name}" TO unsilo_compacted')
        con.execute("DETACH unsilo_compacted")
    except BaseException:
        con.close()
        fresh.unlink(missing_ok=True)
        raise
    con.close()
    fresh.replace(path)


def file_size(path: Path) -> int:
    """Bytes of the database file and its write-ahead log, as a disk sees them."""
    return sum(p.stat().st_size for p in _files(path) if p.exists())


def _files(path: Path) -> Iterable[Path]:
    yield Path(path)
    yield Path(f"{path}.wal")


def _has_totals(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    try:
        row = con.execute("select 1 from trends where run_id = $r limit 1", {"r": run_id})
        return row.fetchone() is not None
    except duckdb.CatalogException:
        return False
