"""The index of every stored run (``index.html``): its documented context and how it is read.

Like the report's, templates see exactly these fields (a test holds them to it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from unsilo import clock
from unsilo.pipeline.db import DatabaseFile, database_file
from unsilo.reports.rows import analysed_rows
from unsilo.reports.trends import TrendSection, site_trends


@dataclass(frozen=True, slots=True)
class IndexRun:
    """One line of the index of runs; ``report_href`` is None when no report file exists."""

    run_id: str
    start_url: str | None
    site: str | None
    started_at: datetime | None
    status: str | None
    reason: str | None
    pages: int
    html_pages: int
    avg_score: float | None
    report_href: str | None = None
    crawl_whole: bool = True  # False: a limit or an interruption stopped the crawl
    max_pages: int | None = None  # the page limit the run was given
    pruned_at: datetime | None = None  # its per-page rows were pruned (totals remain)


@dataclass(frozen=True, slots=True)
class IndexContext:
    """Everything ``index.html`` may use."""

    runs: list[IndexRun]
    trends: list[TrendSection] = field(default_factory=list)  # one chart per site
    generated_at: datetime = field(default_factory=clock.now)
    database: DatabaseFile | None = None


def build_index_context(
    con: duckdb.DuckDBPyConnection, href_for: Callable[[str], str | None]
) -> IndexContext:
    """Every stored run, newest first; ``href_for(run_id)`` links a run to its report file."""
    runs = [
        dataclasses.replace(run, report_href=href_for(run.run_id))
        for run in analysed_rows(con, IndexRun, "report_runs")
    ]
    return IndexContext(runs=runs, trends=site_trends(con), database=database_file(con))
