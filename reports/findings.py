"""The report's findings sections: findings per severity against the previous run, the
finding groups (one per check and severity, a few example URLs each) and "Top fixes".

Read from ``report_finding_changes``, ``report_finding_groups`` and ``report_top_fixes``;
which severity is urgent and how much a fix weighs are the seeds' decisions, not made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

import duckdb

from unsilo.reports.rows import analysed_rows

EXAMPLES_PER_FINDING = 5
"""Example URLs shown per finding group."""
TOP_FIX_LIMIT = 8
"""Fixes in "Top fixes", ranked by impact (``report_top_fixes.sql``)."""
TOP_FIX_EXAMPLES = 3
"""Example URLs per top fix: the pages worth most first."""


@dataclass(frozen=True, slots=True)
class SeverityCount:
    """Findings of one severity now, and in the previous run (None when there is none).

    ``findings`` are all of this run's; the change is ``compared_findings`` (this run's on the
    comparison's basis: all, or those on URLs both runs crawled) minus ``previous_findings``.
    """

    severity: str
    findings: int
    previous_findings: int | None
    compared_findings: int | None = None


class Example(TypedDict):
    """One finding shown as an example: the URL it is on and its detail, e.g. the broken
    target of a broken link (the page holding a link is where to fix it; the target is what
    is broken: a reader needs both)."""

    url: str
    detail: str | None


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
    examples: list[Example]
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


def finding_changes(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    previous_run_id: str | None,
    common: bool = False,
) -> list[SeverityCount]:
    """Findings per severity in ``run_id`` and in the run it is compared with (``common``:
    only on URLs both runs crawled, see ``unsilo.pipeline.comparison``)."""
    return analysed_rows(
        con,
        SeverityCount,
        "report_finding_changes",
        run_id=run_id,
        previous_run_id=previous_run_id,
        common=common,
    )


def finding_groups(con: duckdb.DuckDBPyConnection, run_id: str) -> list[FindingGroup]:
    """The run's findings grouped by check and severity, with examples (URL and detail)."""
    return analysed_rows(
        con, FindingGroup, "report_finding_groups", run_id=run_id, examples=EXAMPLES_PER_FINDING
    )


def top_fixes(con: duckdb.DuckDBPyConnection, run_id: str) -> list[TopFix]:
    """The fixes worth most, ranked by impact, with the most valuable example pages."""
    return analysed_rows(
        con,
        TopFix,
        "report_top_fixes",
        run_id=run_id,
        limit=TOP_FIX_LIMIT,
        examples=TOP_FIX_EXAMPLES,
    )
