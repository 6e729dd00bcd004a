"""Write a run's self-contained HTML report, and the index of every run, to files.

The report is one file with inline CSS and SVG, no request of any kind when opened, so it
can be mailed, archived per month, or printed to PDF as is.

>>> render_report(con, run_id, Path("out/runs") / f"{run_id}.html")  # doctest: +SKIP
PosixPath('out/runs/2026-11-23T115000Z-ab12cd.html')
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import duckdb

from unsilo.reports.context import ExportLink, ReportError, build_context, template_vars
from unsilo.reports.environment import environment
from unsilo.reports.exports import exported_files
from unsilo.reports.run_index import build_index_context

__all__ = ["ReportError", "render_index", "render_report", "REPORTS_DIR"]

REPORTS_DIR = "runs"
"""Folder under the index's folder where run reports live (``runs/<run_id>.html``)."""


def render_report(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    out: Path,
    out_dir: Path | None = None,
    compare: str | None = None,
    language: str = "en",
) -> Path:
    """Render run ``run_id`` to ``out`` (parent folders created) and return the path.

    The report links the run's export files found under ``out_dir/exports/<run_id>/``, so
    write them first (``unsilo.reports.exports.export_run``). ``out_dir`` defaults to the folder
    ``render_index`` would use: the parent of ``runs/`` for an archived report, else
    ``out``'s own folder. ``compare`` names the run to compare with (``--compare``);
    ``language`` is one of ``unsilo.languages.report_languages()`` (``--lang``).
    """
    out = Path(out)
    if out_dir is None:
        out_dir = out.parent.parent if out.parent.name == REPORTS_DIR else out.parent
    context = build_context(con, run_id, _export_links(out, run_id, Path(out_dir)), compare)
    html = environment(language).get_template("report.html").render(template_vars(context))
    return _write(Path(out), html)


def render_index(con: duckdb.DuckDBPyConnection, out_dir: Path, language: str = "en") -> Path:
    """Write ``out_dir/index.html`` listing every run, linked to ``runs/<run_id>.html`` if any,
    in ``language`` (the language of the report rendered with it)."""
    out_dir = Path(out_dir)

    def href_for(run_id: str) -> str | None:
        # A run id is ours, but it names a file: never let it climb out of the folder.
        if not run_id or Path(run_id).name != run_id or run_id.startswith("."):
            return None
        report = out_dir / REPORTS_DIR / f"{run_id}.html"
        return f"{REPORTS_DIR}/{quote(run_id)}.html" if report.is_file() else None

    context = build_index_context(con, href_for)
    html = environment(language).get_template("index.html").render(template_vars(context))
    return _write(out_dir / "index.html", html)


def _export_links(out: Path, run_id: str, out_dir: Path) -> list[ExportLink]:
    """Links to the export files that exist, relative to the report's folder."""
    links = []
    for path in exported_files(out_dir, run_id):
        relative = Path(os.path.relpath(path.resolve(), out.parent.resolve())).as_posix()
        links.append(ExportLink(path.stem, path.suffix.lstrip("."), quote(relative)))
    return links


def _write(out: Path, html: str) -> Path:
    """Write via a temporary sibling so a reader never opens half a report."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(html, encoding="utf-8")
        partial.replace(out)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ReportError(f"cannot write the report to {out}: {reason}") from exc
    return out
