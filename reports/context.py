"""The report's template context: documented dataclasses, filled from ``report_*.sql`` models.

Templates see exactly these fields and nothing else (a test holds them to it), so what a
report can show is decided here, in one reviewable place. All counting happens in SQL; Python
only turns the already small result sets (aggregates and top lists) into dataclasses, so a
100,000-page run renders as fast and as small as a 100-page one.

>>> ctx = build_context(con, "2026-11-23T115000Z-ab12cd")  # doctest: +SKIP
>>> ctx.summary.avg_score, [lc.level for lc in ctx.levels]  # doctest: +SKIP
(41.5, ['siloed', 'shareable', 'share-ready'])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import duckdb

from unsilo.pipeline.db import DatabaseFile, database_file
from unsilo.pipeline.queries import run_sql
from unsilo.reports.method import MethodAudit, method_audits
from unsilo.reports.rows import build
from unsilo.reports.signals import (
    NO_PAGE_SIGNALS,
    NO_SIGNALS,
    PageSignals,
    SignalsSection,
    build_signals,
    page_signals,
)
from unsilo.reports.social import NOT_CRAWLED, SocialSection, build_social

PAGE_LIMIT = 200
"""Rows in the page table; the full table is an export, the report stays small."""
SILO_LIMIT = 15
"""Rows in "top silos by SEO value"."""
EXAMPLES_PER_FINDING = 5
"""Example URLs shown per finding group."""
TOP_FIX_LIMIT = 8
"""Fixes in "Top fixes", ranked by impact (``report_top_fixes.sql``)."""
TOP_FIX_EXAMPLES = 3
"""Example URLs per top fix: the pages worth most first."""


class ReportError(Exception):
    """The report cannot be produced; the message says what to do about it."""


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


@dataclass(frozen=True, slots=True)
class Summary:
    """Headline figures; ``scored_pages`` are the indexable HTML pages that got a level."""

    pages: int
    html_pages: int
    errors: int
    indexable_pages: int
    scored_pages: int
    avg_score: float | None
    previous_avg_score: float | None


@dataclass(frozen=True, slots=True)
class PreviousRun:
    """The run of the same site this one is compared with (None on a site's first run)."""

    run_id: str
    started_at: datetime | None


@dataclass(frozen=True, slots=True)
class LevelCount:
    """Pages at one level now and in the previous run (None when there is none)."""

    level: str
    pages: int
    previous_pages: int | None


@dataclass(frozen=True, slots=True)
class Rung:
    """One level of the ladder (the levels seed): how the filter, chart and legend name it."""

    level: str
    label: str
    meaning: str
    base_points: int  # the score a page starts from at this level


@dataclass(frozen=True, slots=True)
class SeverityCount:
    """Findings of one severity now and in the previous run (None when there is none)."""

    severity: str
    findings: int
    previous_findings: int | None


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """All findings of one check at one severity, with a typical message and a few URLs.

    A check that hits a whole template comes as one group per ``section`` (with the
    section's ``section_pages``); its other findings form a group with ``section`` None.
    """

    severity: str
    check: str
    category: str | None
    findings: int
    message: str | None
    fix: str | None
    examples: list[str]
    urgent: bool = False  # a severity to fix first (the severities seed says which)
    summary: str | None = None  # the catalogue's name for the check
    section: str | None = None
    section_pages: int | None = None


@dataclass(frozen=True, slots=True)
class TopFix:
    """One fix of "Top fixes": a check (in one section when grouped), ranked by ``impact``.

    ``impact`` = the severity's fix weight x the summed worth (``page_value``) of the
    ``pages`` it is on; ``examples`` are the most valuable of those pages.
    """

    check: str
    severity: str
    summary: str | None
    fix: str | None
    section: str | None
    section_pages: int | None
    pages: int
    impact: float
    examples: list[str]


@dataclass(frozen=True, slots=True)
class PageRow:
    """One page as the page table and the top-silos list show it."""

    url: str
    title: str | None
    section: str | None
    level: str
    score: int | None
    inlinks: int | None
    depth: int | None
    in_sitemap: bool | None
    earned: list[str]
    missed: list[str]
    signals: PageSignals = NO_PAGE_SIGNALS  # per source asked; the page table's rows only


@dataclass(frozen=True, slots=True)
class Segment:
    """One level's slice of a section's bar; ``start`` and ``share`` are fractions (0-1)."""

    level: str
    pages: int
    share: float
    start: float
    on_ladder: bool = True  # False: a level the levels seed does not know (drawn as "other")


@dataclass(frozen=True, slots=True)
class SectionBar:
    """One section's stacked bar: its pages split by level, in ladder order."""

    section: str
    pages: int
    segments: list[Segment]


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
    exports: list[ExportLink] = field(default_factory=list)
    page_limit: int = PAGE_LIMIT
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    database: DatabaseFile | None = None  # the footer's "needs DuckDB X or newer"
    audits: list[MethodAudit] = field(default_factory=list)  # method: audits checks follow


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


@dataclass(frozen=True, slots=True)
class IndexContext:
    """Everything ``index.html`` may use."""

    runs: list[IndexRun]
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    database: DatabaseFile | None = None


T = TypeVar("T")


def build_context(
    con: duckdb.DuckDBPyConnection, run_id: str, exports: list[ExportLink] | None = None
) -> ReportContext:
    """Read one run's report context from the marts; unknown runs raise ``ReportError``.

    ``exports`` are the run's export files already written (the report links only those).
    """
    head = _records(con, "report_run", run_id=run_id)
    if not head:
        raise ReportError(f"no run {run_id!r} in the database; `unsilo runs` lists the stored runs")
    row = head[0]
    previous_id = row["previous_run_id"]
    previous = PreviousRun(previous_id, row["previous_started_at"]) if previous_id else None
    compare = {"run_id": run_id, "previous_run_id": previous_id}
    return ReportContext(
        run=build(RunInfo, row),
        summary=build(Summary, row),
        previous=previous,
        levels=_rows(con, LevelCount, "report_level_changes", **compare),
        finding_changes=_rows(con, SeverityCount, "report_finding_changes", **compare),
        finding_groups=_rows(
            con, FindingGroup, "report_finding_groups", run_id=run_id, examples=EXAMPLES_PER_FINDING
        ),
        top_fixes=_rows(
            con,
            TopFix,
            "report_top_fixes",
            run_id=run_id,
            limit=TOP_FIX_LIMIT,
            examples=TOP_FIX_EXAMPLES,
        ),
        top_silos=_rows(con, PageRow, "report_top_silos", run_id=run_id, limit=SILO_LIMIT),
        sections=_section_bars(_records(con, "report_section_levels", run_id=run_id)),
        profiles=_rows(con, Profile, "report_profiles", run_id=run_id),
        pages=_with_signals(
            con, run_id, _rows(con, PageRow, "report_pages", run_id=run_id, limit=PAGE_LIMIT)
        ),
        points=_rows(con, ScorePoint, "level_points"),
        ladder=_rows(con, Rung, "report_levels"),
        social=build_social(con, run_id),
        signals=build_signals(con, run_id),
        exports=list(exports or []),
        database=database_file(con),
        audits=method_audits(con),
    )


def build_index_context(
    con: duckdb.DuckDBPyConnection, href_for: Callable[[str], str | None]
) -> IndexContext:
    """Every stored run, newest first; ``href_for(run_id)`` links a run to its report file."""
    runs = [
        dataclasses.replace(run, report_href=href_for(run.run_id))
        for run in _rows(con, IndexRun, "report_runs")
    ]
    return IndexContext(runs=runs, database=database_file(con))


def template_vars(context: Any) -> dict[str, Any]:
    """A context dataclass as template variables, one per field, nested values kept typed."""
    return {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}


def _records(con: duckdb.DuckDBPyConnection, model: str, **params: object) -> list[dict]:
    """Rows of ``model`` as dicts; a missing mart means the run was never analysed."""
    try:
        cursor = run_sql(con, model, **params)
    except duckdb.CatalogException as exc:
        raise ReportError(
            f"the database lacks a table the report reads ({exc}); "
            "analyse the run first (`unsilo report` does)"
        ) from exc
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _rows(con: duckdb.DuckDBPyConnection, cls: type[T], model: str, **params: object) -> list[T]:
    return [build(cls, record) for record in _records(con, model, **params)]


def _with_signals(
    con: duckdb.DuckDBPyConnection, run_id: str, pages: list[PageRow]
) -> list[PageRow]:
    """The page table's rows, each with what every source asked says of it."""
    by_page = page_signals(con, run_id, [p.url for p in pages])
    return [dataclasses.replace(p, signals=by_page.get(p.url, NO_PAGE_SIGNALS)) for p in pages]


def _section_bars(records: list[dict[str, Any]]) -> list[SectionBar]:
    """Group the (already ordered, at most sections x levels) rows into one bar per section."""
    bars: dict[str, SectionBar] = {}
    for r in records:
        bar = bars.setdefault(r["section"], SectionBar(r["section"], int(r["section_pages"]), []))
        bar.segments.append(
            Segment(r["level"], r["pages"], r["share"], r["start_share"], r["on_ladder"])
        )
    return list(bars.values())
