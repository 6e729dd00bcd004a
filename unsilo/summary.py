"""The summary a run ends with: what was found and where it was written, in a dozen lines.

Read, never decided: the status and its reason are the ones ``unsilo.pipeline.runs`` judged
and stored on the run row; the levels, top fixes and broken bridges come from the report's
own queries (``report_level_changes``, ``report_levels``, ``report_top_fixes``,
``report_broken_bridges``), so the terminal and the report cannot disagree. A run that was
not analysed (``unsilo crawl``) gets its status and pages, and the command that adds the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from unsilo.pipeline.queries import run_sql
from unsilo.pipeline.run_history import list_runs

TOP_FIXES = 3


@dataclass
class RunSummary:
    """The figures of one run's summary; ``lines`` says them."""

    run_id: str
    start_url: str
    status: str
    reason: str | None
    pages: int
    html_pages: int
    errors: int
    analysed: bool = False
    levels: list[tuple[str, int]] = field(default_factory=list)  # (label, pages), ladder order
    top_fixes: list[dict[str, Any]] = field(default_factory=list)
    broken_bridges: int = 0
    report: Path | None = None
    index: Path | None = None
    exports: list[Path] = field(default_factory=list)

    def lines(self, stamp: datetime | None = None) -> list[str]:
        """The summary as printed; ``stamp`` (a log, not a terminal) prefixes the first line."""
        status = self.status + (f" ({self.reason})" if self.reason else "")
        head = f"run {self.run_id}: {status} — {self.start_url}"
        out = [f"{stamp:%Y-%m-%dT%H:%M:%SZ} {head}" if stamp else head]
        out.append(
            f"pages: {self.pages:,} crawled, {self.html_pages:,} HTML, {self.errors:,} errors"
        )
        if not self.analysed:
            out.append("levels, fixes, bridges: not analysed yet (`unsilo report` does)")
        else:
            out.append("levels: " + ", ".join(f"{label} {n:,}" for label, n in self.levels))
            out.append("top fixes:" + ("" if self.top_fixes else " none"))
            for rank, fix in enumerate(self.top_fixes, 1):
                out.append(f"  {rank}. {_fix_words(fix)}")
            out.append(f"broken bridges: {self.broken_bridges:,}")
        if self.report:
            out.append(f"report: {self.report}")
        if self.index:
            out.append(f"index: {self.index}")
        if self.exports:
            kinds = ", ".join(sorted({p.suffix.lstrip(".") for p in self.exports}))
            folder = self.exports[0].parent
            out.append(f"exports: {folder} ({len(self.exports)} files: {kinds})")
        return out


def summarise(
    con: duckdb.DuckDBPyConnection, run_id: str, out_dir: Path | None = None
) -> RunSummary | None:
    """The summary of ``run_id`` as stored; ``out_dir`` adds the report, index and exports
    written there. None when the database holds no such run."""
    row = next((r for r in list_runs(con) if r["run_id"] == run_id), None)
    if row is None:
        return None
    summary = RunSummary(
        run_id=run_id,
        start_url=str(row["start_url"]),
        status=str(row["status"]),
        reason=row.get("reason"),
        pages=int(row.get("pages") or 0),
        html_pages=int(row.get("html_pages") or 0),
        errors=int(row.get("errors") or 0),
        analysed=row.get("analysed_at") is not None,
    )
    if summary.analysed:
        _add_findings(con, summary)
    if out_dir is not None:
        _add_files(summary, Path(out_dir))
    return summary


def _add_findings(con: duckdb.DuckDBPyConnection, summary: RunSummary) -> None:
    run_id = summary.run_id
    labels = {r[0]: r[1] for r in run_sql(con, "report_levels").fetchall()}
    levels = run_sql(
        con, "report_level_changes", run_id=run_id, previous_run_id=None, common=False
    ).fetchall()
    names = [d[0] for d in con.description or []]
    summary.levels = [
        (labels.get(rec["level"], rec["level"]), int(rec["pages"]))
        for rec in (dict(zip(names, r, strict=True)) for r in levels)
    ]
    fixes = run_sql(con, "report_top_fixes", run_id=run_id, limit=TOP_FIXES, examples=1)
    names = [d[0] for d in fixes.description or []]
    summary.top_fixes = [dict(zip(names, r, strict=True)) for r in fixes.fetchall()]
    bridges = run_sql(con, "report_broken_bridges", run_id=run_id, limit=None, permalinks=0)
    summary.broken_bridges = len(bridges.fetchall())


def _add_files(summary: RunSummary, out_dir: Path) -> None:
    from unsilo.reports.exports import exported_files

    report, index = out_dir / "report.html", out_dir / "index.html"
    summary.report = report.absolute() if report.exists() else None
    summary.index = index.absolute() if index.exists() else None
    summary.exports = [p.absolute() for p in exported_files(out_dir, summary.run_id)]


def _fix_words(fix: dict[str, Any]) -> str:
    """``Pages without Open Graph tags (og_missing, warning) — 150 pages, impact 42.5``."""
    what = fix.get("summary") or fix["check"]
    where = f" in {fix['section']}" if fix.get("section") else ""
    pages = int(fix.get("pages") or 0)
    return (
        f"{what}{where} ({fix['check']}, {fix['severity']}) — "
        f"{pages:,} page{'s' if pages != 1 else ''}, impact {fix['impact']}"
    )


def stamp_now() -> datetime:
    return datetime.now(UTC)
