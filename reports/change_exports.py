"""Write every row of the run's change relations (``unsilo.reports.changes``) beside its other
exports: ``exports/<run_id>/changes_levels.csv`` and so on, CSV and Parquet.

Only when the run has a run to compare with; without one, or for the page-level relations
when that run was pruned, no file is written and an old one of the same name is removed, so
the folder never holds changes against a comparison the report no longer makes. CSV files
follow ``unsilo.reports.exports``: text cells through ``csv_cell``, lists and structs as JSON
text, a UTF-8 byte order mark first; Parquet keeps raw text and lists.

>>> export_changes(con, run_id, Path("out"))  # doctest: +SKIP
[PosixPath('out/exports/<run_id>/changes_levels.csv'), ...]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from unsilo.pipeline.comparison import Comparison, ComparisonError, choose_comparison
from unsilo.pipeline.queries import load_sql
from unsilo.reports.changes import CHANGE_MODELS, available_exports, change_params
from unsilo.reports.exports import FORMATS, export_dir, select_list, with_bom
from unsilo.reports.rows import ReportError


def export_changes(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    out_dir: Path,
    formats: Iterable[str] = ("csv", "parquet"),
    compare: str | None = None,
) -> list[Path]:
    """Write the change relations of ``run_id`` against its comparison run (``compare``, or
    the one ``choose_comparison`` picks); return the files written."""
    formats = [f for f in formats if f in FORMATS]
    try:
        comparison = choose_comparison(con, run_id, compare)
    except ComparisonError as exc:
        raise ReportError(str(exc)) from exc
    folder = export_dir(out_dir, run_id)
    wanted = available_exports(con, comparison) if comparison else []
    written = []
    for name in CHANGE_MODELS:
        for fmt in FORMATS:
            out = folder / f"{name}.{fmt}"
            if name in wanted and fmt in formats and comparison is not None:
                written.append(_write(con, name, fmt, run_id, comparison, out))
            else:
                out.unlink(missing_ok=True)  # a comparison this run no longer makes
    return written


def _write(
    con: duckdb.DuckDBPyConnection,
    name: str,
    fmt: str,
    run_id: str,
    comparison: Comparison,
    out: Path,
) -> Path:
    """One relation to one file, under a temporary name first."""
    model = CHANGE_MODELS[name][0]
    relation = con.sql(load_sql(model), params=change_params(model, comparison, run_id))
    partial = out.with_name(f".{out.name}.partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            columns = zip(relation.columns, map(str, relation.types), strict=True)
            relation.select(select_list(columns, "csv")).write_csv(str(partial), header=True)
            partial = with_bom(partial)
        else:
            relation.write_parquet(str(partial))
        partial.replace(out)
    except (duckdb.IOException, OSError) as exc:
        raise ReportError(f"cannot write export {out}: {exc}") from exc
    return out
