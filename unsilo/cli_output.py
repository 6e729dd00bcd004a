"""What the commands print about runs: the line a crawl ends with, the runs table, what a
load brought in, the sources the signals step asked; and the record of a run that could
not start, so a cron job's history shows it.

Progress and warnings go to stderr; what a script reads (the report's path, the tables)
to stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from unsilo.progress import Progress, QuietProgress

if TYPE_CHECKING:
    from unsilo.pipeline.load import LoadedRun
    from unsilo.workflow import PruneResult, RunResult


def record_failure(db_path: Path, url: str, message: str) -> None:
    """Record a run that could not start (if the database allows) and print its line."""
    from unsilo.workflow import record_failed_run

    if run_id := record_failed_run(db_path, url, message):
        click.echo(f"run {run_id}: failed ({message})", err=True)


def echo_crawled(run: RunResult, progress: Progress) -> None:
    """The line a crawl ends with: the run, whether it was resumed, its status and why.

    A progress line (timestamped in a log); with ``-q`` printed plain, as the crawl's end.
    """
    line = f"run {run.run_id}{' (resumed)' if run.resumed else ''}: {run.status}"
    if run.reason:
        line += f" ({run.reason})"
    if isinstance(progress, QuietProgress):
        click.echo(line, err=True)
    else:
        progress.note(line)


def echo_summary(db_path: Path, run_id: str | None, out_dir: Path | None) -> None:
    """The summary a run ends with (``unsilo.summary``), on stdout: status, pages, levels,
    top fixes, broken bridges and the files written. ``run_id`` None: the run ``unsilo
    report`` chose (``latest_run``, as it does). In a log the first line is timestamped."""
    import sys

    from unsilo.pipeline.run_history import latest_run
    from unsilo.summary import stamp_now, summarise
    from unsilo.workflow import WorkflowError, open_database

    try:
        with open_database(db_path) as con:
            run_id = run_id or latest_run(con)
            summary = summarise(con, run_id, out_dir) if run_id else None
    except WorkflowError as exc:
        click.echo(f"unsilo: warning: no summary: {exc}", err=True)
        return
    if summary is None:
        return
    stamp = None if sys.stdout.isatty() else stamp_now()
    for line in summary.lines(stamp):
        click.echo(line)


def echo_loaded(loaded: list[LoadedRun], db_path: Path) -> None:
    """One line per loaded source: its run, status and rows, or that it was there already."""
    for run in loaded:
        if run.skipped:
            click.echo(f"run {run.run_id}: already in {db_path}; skipped {run.source}")
            continue
        rows = ", ".join(f"{n} {t}" for t, n in run.counts.items() if n)
        reason = f" ({run.reason})" if run.reason else ""
        click.echo(f"run {run.run_id}: {run.status}{reason}; loaded {rows} from {run.source}")


def echo_signal_sources(run_id: str, sources: list[tuple]) -> None:
    """The sources the signals step asked, one line each: status, signals found, why."""
    click.echo(f"signals of run {run_id}:")
    for source, status, found, reason in sources:
        click.echo(
            f"  {source:<15} {status:<19} {found or 0:>5} found"
            + (f"  ({reason})" if reason else "")
        )


def echo_runs(rows: list[dict[str, Any]]) -> None:
    """The stored runs, newest first, with status and counts."""
    if not rows:
        click.echo("no runs yet")
        return
    click.echo(f"{'run id':<28} {'status':<9} {'pages':>7} {'html':>7} {'errors':>7}  url / reason")
    for r in rows:
        tail = r["start_url"] + (f"  [{r['reason']}]" if r.get("reason") else "")
        tail += "  [raw rows pruned: totals only]" if r.get("pruned_at") else ""
        click.echo(
            f"{r['run_id']:<28} {r['status']:<9} {r['pages'] or 0:>7} {r['html_pages'] or 0:>7} "
            f"{r['errors'] or 0:>7}  {tail}"
        )


def echo_pruned(result: PruneResult, dry_run: bool) -> None:
    """The runs a prune keeps whole and prunes (one line each), rows deleted, file sizes."""
    for word, runs in (("keep", result.plan.keep), ("prune", result.plan.prune)):
        for run in runs:
            when = f"{run.started_at:%Y-%m-%d}" if run.started_at else "?"
            click.echo(f"{word:<6} {run.run_id:<28} {when}  {run.status:<8} {run.site}")
    verb = "would prune" if dry_run else "pruned"
    click.echo(
        f"{verb} the raw rows of {len(result.plan.prune)} runs; {len(result.plan.keep)} kept whole"
    )
    if result.deleted:
        click.echo("rows deleted: " + ", ".join(f"{t} {n}" for t, n in result.deleted.items()))
    click.echo(f"database: {_size(result.size_before)} before, {_size(result.size_after)} after")


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} kB"
