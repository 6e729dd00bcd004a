"""The report's template context: documented dataclasses, filled from ``report_*.sql`` models.

Templates see exactly these fields and nothing else (a test holds them to it), so what a
report can show is decided by ``ReportContext``, in one reviewable place. Each section's own
dataclasses and reading live beside it (``findings``, ``pages``, ``signals``, ``social``,
``changes``: what changed page by page since the compared run); this module keeps the run's
head, its levels, the claimed profiles and the score method.

All counting happens in SQL; Python only turns the already small result sets (aggregates and
top lists) into dataclasses, so a 100,000-page run renders as fast and as small as a 100-page
one.

>>> ctx = build_context(con, "2026-11-23T115000Z-ab12cd")  # doctest: +SKIP
>>> ctx.summary.avg_score, [lc.level for lc in ctx.levels]  # doctest: +SKIP
(41.5, ['siloed', 'shareable', 'share-ready'])
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from unsilo import clock
from unsilo.pipeline.comparison import Comparison, ComparisonError, choose_comparison
from unsilo.pipeline.db import DatabaseFile, database_file
from unsilo.reports.changes import ChangesSection, build_changes
from unsilo.reports.findings import (
    FindingGroup,
    SeverityCount,
    TopFix,
    finding_changes,
    finding_groups,
    top_fixes,
)
from unsilo.reports.method import MethodAudit, method_audits
from unsilo.reports.pages import (
    PAGE_LIMIT,
    PageRow,
    SectionBar,
    page_table,
    section_bars,
    top_silos,
)
from unsilo.reports.rows import ReportError, analysed_records, analysed_rows, build
from unsilo.reports.signals import NO_SIGNALS, SignalsSection, build_signals
from unsilo.reports.social import NOT_CRAWLED, SocialSection, build_social
from unsilo.reports.trends import TrendSection, build_trends


@dataclass(frozen=True, slots=True)
class RunInfo:
    """The run's own record: what was crawled, when, and how it ended (and why)."""

    run_id: str
    start_url: str | None
    site: str | None
    started_at: datetime | None
    finished_at: datetime | None
    status: str | None  # running | complete | partial | failed
    reason: str | None  # why partial/failed, e.g. blocked by robots.txt
    unsilo_version: str | None
    crawl_whole: bool = True  # False: a limit or an interruption stopped the shop crawl


@dataclass(frozen=True, slots=True)
class Summary:
    """Headline figures; ``scored_pages`` are the indexable HTML pages that got a level."""

    pages: int
    html_pages: int
    errors: int
    indexable_pages: int
    scored_pages: int
    avg_score: float | None


@dataclass(frozen=True, slots=True)
class PreviousRun:
    """The run this one is compared with (``unsilo.pipeline.comparison`` chose it; None when
    nothing comparable came before).

    ``common`` is True when only the pages both runs scored are compared (``common_pages``);
    ``notes`` then say why, for the report's first screen. ``avg_score`` and
    ``previous_avg_score`` are on the same basis, so their difference is a fair change.
    """

    run_id: str
    started_at: datetime | None
    common: bool = False
    notes: list[str] = field(default_factory=list)
    common_pages: int | None = None
    avg_score: float | None = None
    previous_avg_score: float | None = None


@dataclass(frozen=True, slots=True)
class SuppressedCheck:
    """A check not run because the crawl did not see the whole shop, and what it needs."""

    check: str
    summary: str
    needs: str


@dataclass(frozen=True, slots=True)
class LevelCount:
    """Pages at one level now, and in the previous run (None when there is none).

    ``pages`` are all of this run's; the change is ``compared_pages`` (this run's on the
    comparison's basis: all, or those both runs scored) minus ``previous_pages``.
    """

    level: str
    pages: int
    previous_pages: int | None
    compared_pages: int | None = None


@dataclass(frozen=True, slots=True)
class Rung:
    """One level of the ladder (the levels seed): how the filter, chart and legend name it."""

    level: str
    label: str
    meaning: str
    base_points: int  # the score a page starts from at this level


@dataclass(frozen=True, slots=True)
class Profile:
    """A social profile the shop claims on its site, and how unsilo found it."""

    platform: str
    handle: str | None
    profile_url: str | None
    pages_linking: int | None
    sources: list[str]


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """One point of the 0-100 score, as the method section explains it."""

    points: int
    earned_text: str
    missed_text: str


@dataclass(frozen=True, slots=True)
class ExportLink:
    """One export file of the run, linked relative to the report's own folder."""

    table: str
    format: str
    href: str


@dataclass(frozen=True, slots=True)
class ReportContext:
    """Everything ``report.html`` may use; each field is one top-level template variable."""

    run: RunInfo
    summary: Summary
    previous: PreviousRun | None
    levels: list[LevelCount]
    finding_changes: list[SeverityCount]
    finding_groups: list[FindingGroup]
    top_fixes: list[TopFix]
    top_silos: list[PageRow]
    sections: list[SectionBar]
    profiles: list[Profile]
    pages: list[PageRow]
    points: list[ScorePoint]
    ladder: list[Rung]
    social: SocialSection = NOT_CRAWLED
    signals: SignalsSection = NO_SIGNALS
    suppressed_checks: list[SuppressedCheck] = field(default_factory=list)
    exports: list[ExportLink] = field(default_factory=list)
    page_limit: int = PAGE_LIMIT
    generated_at: datetime = field(default_factory=clock.now)
    database: DatabaseFile | None = None  # the footer's "needs DuckDB X or newer"
    audits: list[MethodAudit] = field(default_factory=list)  # method: audits checks follow
    trends: TrendSection | None = None  # this site's runs up to this one (None: no totals)
    changes: ChangesSection | None = None  # page-level changes since ``previous`` (None: none)


def build_context(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    exports: list[ExportLink] | None = None,
    compare: str | None = None,
) -> ReportContext:
    """Read one run's report context from the marts; unknown or pruned runs raise
    ``ReportError``.

    ``exports`` are the run's export files already written (the report links only those);
    ``compare`` names the run to compare with (default: ``choose_comparison``'s choice).
    """
    head = analysed_records(con, "report_run", run_id=run_id)
    if not head:
        raise ReportError(f"no run {run_id!r} in the database; `unsilo runs` lists the stored runs")
    row = head[0]
    if row["pruned_at"] is not None:
        raise ReportError(
            f"run {run_id}: raw rows pruned on {row['pruned_at']:%Y-%m-%d}; its totals stay in "
            "index.html, and its report is the one written before the prune"
        )
    try:
        comparison = choose_comparison(con, run_id, compare)
    except ComparisonError as exc:
        raise ReportError(str(exc)) from exc
    previous, basis = _previous(con, run_id, comparison)
    return ReportContext(
        run=build(RunInfo, row),
        summary=build(Summary, row),
        previous=previous,
        levels=analysed_rows(con, LevelCount, "report_level_changes", run_id=run_id, **basis),
        finding_changes=finding_changes(con, run_id, **basis),
        finding_groups=finding_groups(con, run_id),
        top_fixes=top_fixes(con, run_id),
        top_silos=top_silos(con, run_id),
        sections=section_bars(con, run_id),
        profiles=analysed_rows(con, Profile, "report_profiles", run_id=run_id),
        pages=page_table(con, run_id),
        points=analysed_rows(con, ScorePoint, "level_points"),
        ladder=analysed_rows(con, Rung, "report_levels"),
        social=build_social(con, run_id),
        signals=build_signals(con, run_id),
        suppressed_checks=analysed_rows(
            con, SuppressedCheck, "report_suppressed_checks", run_id=run_id
        ),
        exports=list(exports or []),
        database=database_file(con),
        audits=method_audits(con),
        trends=build_trends(con, run_id),
        changes=build_changes(con, run_id, comparison),
    )


def _previous(
    con: duckdb.DuckDBPyConnection, run_id: str, comparison: Comparison | None
) -> tuple[PreviousRun | None, dict[str, Any]]:
    """The compared run as the template sees it, and the basis the change queries take."""
    if comparison is None:
        return None, {"previous_run_id": None, "common": False}
    basis = {"previous_run_id": comparison.run_id, "common": comparison.common}
    (scores,) = analysed_records(con, "report_comparison", run_id=run_id, **basis)
    previous = PreviousRun(
        comparison.run_id,
        comparison.started_at,
        comparison.common,
        list(comparison.notes),
        scores["common_pages"],
        scores["avg_score"],
        scores["previous_avg_score"],
    )
    return previous, basis


def template_vars(context: Any) -> dict[str, Any]:
    """A context dataclass as template variables, one per field, nested values kept typed."""
    return {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
