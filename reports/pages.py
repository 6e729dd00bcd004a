"""The report's page sections: the page table (each row with its signals), "top silos by SEO
value" and the per-section bars of pages by level.

Read from ``report_pages``, ``report_top_silos`` and ``report_section_levels``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import duckdb

from unsilo.reports.rows import analysed_records, analysed_rows
from unsilo.reports.signals import NO_PAGE_SIGNALS, PageSignals, page_signals

PAGE_LIMIT = 200
"""Rows in the page table; the full table is an export, the report stays small."""
SILO_LIMIT = 15
"""Rows in "top silos by SEO value" (ranked by ``report_top_silos``'s silo value)."""


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
    editorial_inlinks: int | None = None  # links from other pages' content, not their menus
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


def page_table(con: duckdb.DuckDBPyConnection, run_id: str) -> list[PageRow]:
    """The page table's rows (at most ``PAGE_LIMIT``), each with what every source asked
    says of it."""
    pages = analysed_rows(con, PageRow, "report_pages", run_id=run_id, limit=PAGE_LIMIT)
    by_page = page_signals(con, run_id, [p.url for p in pages])
    return [dataclasses.replace(p, signals=by_page.get(p.url, NO_PAGE_SIGNALS)) for p in pages]


def top_silos(con: duckdb.DuckDBPyConnection, run_id: str) -> list[PageRow]:
    """The siloed pages worth most (``SILO_LIMIT``)."""
    return analysed_rows(con, PageRow, "report_top_silos", run_id=run_id, limit=SILO_LIMIT)


def section_bars(con: duckdb.DuckDBPyConnection, run_id: str) -> list[SectionBar]:
    """One bar per section: the (already ordered, at most sections x levels) rows grouped."""
    bars: dict[str, SectionBar] = {}
    for r in analysed_records(con, "report_section_levels", run_id=run_id):
        bar = bars.setdefault(r["section"], SectionBar(r["section"], int(r["section_pages"]), []))
        bar.segments.append(
            Segment(r["level"], r["pages"], r["share"], r["start_share"], r["on_ladder"])
        )
    return list(bars.values())
