"""Analyse a stored run and write what a reader gets: exports, workbook, report, index.

The last two steps of an audit and all of ``unsilo report``; ``unsilo.workflow`` owns the
steps before (lock, record, crawl, judge) and the database's connections.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from unsilo.pipeline.run_history import latest_run
from unsilo.progress import Progress, Steps, noop
from unsilo.workflow import WorkflowError, check_writable_dir, open_database


def analyse_and_render(
    db_path: Path,
    run_id: str | None,
    out_dir: Path,
    compare: str | None = None,
    progress: Progress | None = None,
    language: str | None = None,
) -> Path:
    """Analyse ``run_id`` (default: the latest complete or partial run with pages) and write
    report, archive copy and index; ``compare`` names the run to compare with (analysed
    first if it never was), else ``unsilo.pipeline.comparison`` chooses. ``progress`` is
    shown the analysis and render phases. ``language`` (``--lang``) defaults to the one the
    run recorded, so a re-render keeps its language."""
    from unsilo.pipeline.analyse import PrunedRunError, analyse
    from unsilo.reports.change_exports import export_changes
    from unsilo.reports.exports import export_run
    from unsilo.reports.render import ReportError, render_index, render_report
    from unsilo.reports.workbook import write_workbook

    if problem := check_writable_dir(out_dir):
        raise WorkflowError(problem)
    if not Path(db_path).exists():
        raise WorkflowError(f"no database at {db_path}: run `unsilo audit` or `unsilo crawl` first")
    with open_database(db_path) as con:
        run_id = run_id or latest_run(con)
        if run_id is None:
            raise WorkflowError(f"no complete or partial run with pages in {db_path} yet")
        progress = progress or noop()
        try:
            with progress.phase("analysis"):
                analyse(con, run_id)
                if compare and _never_analysed(con, compare):
                    analyse(con, compare)
        except PrunedRunError as exc:
            raise WorkflowError(str(exc)) from exc
        language = language or _recorded_language(con, run_id)
        try:
            with progress.phase("render"):
                steps = Steps(progress, "render", total=4)
                export_run(con, run_id, out_dir)
                export_changes(con, run_id, out_dir, compare=compare)
                write_workbook(con, run_id, out_dir)
                steps.did()
                archived = out_dir / "runs" / f"{run_id}.html"
                render_report(con, run_id, archived, out_dir, compare, language)
                steps.did()
                # rendered again rather than copied: its links to the exports are relative
                latest = render_report(
                    con, run_id, out_dir / "report.html", out_dir, compare, language
                )
                steps.did()
                render_index(con, out_dir, language)
                steps.did()
        except ReportError as exc:
            raise WorkflowError(str(exc)) from exc
    return latest


def _recorded_language(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    """The run's recorded report language if unsilo still speaks it, else English (a
    language whose catalogue was removed since must not stop the report)."""
    from unsilo.languages import report_languages
    from unsilo.pipeline.queries import run_sql

    row = run_sql(con, "run_report_language", run_id=run_id).fetchone()
    recorded = row[0] if row else None
    return recorded if recorded in report_languages() else "en"


def _never_analysed(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    row = con.execute(
        "select analysed_at is null and pages > 0 and status in ('complete', 'partial') "
        "from runs where run_id = $r",
        {"r": run_id},
    ).fetchone()
    return bool(row and row[0])
