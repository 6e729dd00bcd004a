"""The report's "What changed since <previous run>" section: page-level changes against the run
``unsilo.pipeline.comparison`` chose, read from the ``report_changes_*`` models.

Each kind of change is one SQL relation (``CHANGE_MODELS``): the report shows its first rows
(``CHANGE_LIMIT``) and how many more the export holds; ``unsilo.reports.change_exports`` writes
every row of the same relations beside the run's other exports. When the compared run was
pruned, its per-page rows are gone: the section says so instead of calling every page new,
and only the profile changes (``profile_health`` is kept) are shown.

>>> section = build_changes(con, run_id, comparison)  # doctest: +SKIP
>>> section.levels.total, [m.direction for m in section.levels.rows]  # doctest: +SKIP
(3, ['down', 'up', 'up'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from unsilo.pipeline.comparison import Comparison
from unsilo.pipeline.queries import load_sql
from unsilo.reports.rows import analysed_records, build, has_table

CHANGE_LIMIT = 15
"""Rows of each change table the report shows; the export holds them all."""
EXAMPLES_PER_CHECK = 3
"""Example URLs per check for its new and its fixed findings."""


@dataclass(frozen=True, slots=True)
class LevelMove:
    """A page both runs scored whose level or score moved, and the ladder points behind it."""

    url: str
    title: str | None
    section: str | None
    previous_level: str | None
    level: str | None
    previous_score: int | None
    score: int | None
    direction: str  # up | down
    points_gained: list[str]  # level_points' earned texts, earned now and not before
    points_lost: list[str]


@dataclass(frozen=True, slots=True)
class CheckChange:
    """Findings of one check: new since the previous run, fixed since, and still open."""

    check: str
    summary: str | None
    severity: str
    new: int
    fixed: int
    still_open: int
    new_examples: list[str]
    fixed_examples: list[str]


@dataclass(frozen=True, slots=True)
class PageChange:
    """A page only one run crawled: ``new`` (this run) or ``gone`` (the previous one).

    ``certain`` is False when the runs are not like for like: the other run may simply not
    have reached the page.
    """

    change: str  # new | gone
    certain: bool
    url: str
    title: str | None
    section: str | None
    status: int | None
    indexable: bool | None
    level: str | None


@dataclass(frozen=True, slots=True)
class NewBridge:
    """A broken bridge the previous run did not have, with what the URL was then."""

    url: str
    message: str | None
    permalink_count: int
    previous_level: str | None  # None: not scored then
    previous_status: int | None  # None: not crawled then


@dataclass(frozen=True, slots=True)
class SignalChange:
    """A page newly shared or newly in conversation, and the sources new to it."""

    url: str
    title: str | None
    previous_level: str | None
    level: str | None
    newly_shared: bool
    newly_discussed: bool
    previous_shares: int | None
    shares: int | None
    talk_backs: int | None
    shared_on: list[str]
    new_sources: list[str]


@dataclass(frozen=True, slots=True)
class ProfileChange:
    """One profile's health before and after; None is unknown, never zero."""

    platform: str
    handle: str | None
    profile_url: str | None
    change: str  # new | gone | changed | same
    previous_followers: int | None
    followers: int | None
    previous_posts_30d: int | None
    posts_30d: int | None
    previous_cadence_days: float | None
    cadence_days: float | None
    previous_push_ratio: float | None
    push_ratio: float | None


@dataclass(frozen=True, slots=True)
class ChangeTable:
    """The first rows of one change relation, how many it has, and its export's name."""

    export: str
    rows: list[Any] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        """Rows left out of the report, found in the export."""
        return max(self.total - len(self.rows), 0)


@dataclass(frozen=True, slots=True)
class ChangesSection:
    """What changed since ``previous_run_id``; page-level tables are empty when it was pruned
    (``pruned_at``), and ``common`` says they cover only what both runs saw."""

    previous_run_id: str
    previous_started_at: datetime | None
    common: bool
    pruned_at: datetime | None
    levels: ChangeTable
    findings: ChangeTable
    pages: ChangeTable
    bridges: ChangeTable
    signals: ChangeTable
    profiles: ChangeTable


CHANGE_MODELS: dict[str, tuple[str, type | None]] = {
    "changes_levels": ("report_changes_levels", LevelMove),
    "changes_checks": ("report_changes_findings", CheckChange),
    "changes_findings": ("report_changes_finding_urls", None),  # export only: URL by URL
    "changes_pages": ("report_changes_pages", PageChange),
    "changes_bridges": ("report_changes_bridges", NewBridge),
    "changes_signals": ("report_changes_signals", SignalChange),
    "changes_profiles": ("report_changes_profiles", ProfileChange),
}
"""export name → (SQL model, the report's row type); the only names put into export paths."""

PROFILE_EXPORT = "changes_profiles"
"""The one change relation that reads kept rows (``profile_health``): it survives a prune."""


def change_params(model: str, comparison: Comparison, run_id: str, **extra: object) -> dict:
    """The parameters ``model``'s SQL names, from the comparison's basis and ``extra``.

    DuckDB refuses a parameter a query does not use, and the change models differ in which
    they need (profiles have no basis), so each gets exactly its own.
    """
    offered = {
        "run_id": run_id,
        "previous_run_id": comparison.run_id,
        "common": comparison.common,
        "examples": EXAMPLES_PER_CHECK,
        "limit": None,
        **extra,
    }
    text = re.sub(r"--[^\n]*", "", load_sql(model))  # a comment may name any parameter
    return {k: v for k, v in offered.items() if re.search(rf"\${k}\b", text)}


def available_exports(con: duckdb.DuckDBPyConnection, comparison: Comparison) -> list[str]:
    """The change relations that can be read: none of the page-level ones when the compared
    run was pruned, and profiles only where the social marts exist."""
    names = [PROFILE_EXPORT] if comparison.pruned_at else list(CHANGE_MODELS)
    if not has_table(con, "profile_health"):
        names = [n for n in names if n != PROFILE_EXPORT]
    return names


def build_changes(
    con: duckdb.DuckDBPyConnection, run_id: str, comparison: Comparison | None
) -> ChangesSection | None:
    """The section for ``run_id`` against ``comparison`` (None: nothing to compare with)."""
    if comparison is None:
        return None
    readable = available_exports(con, comparison)
    tables = {
        name: _table(con, name, run_id, comparison) if name in readable else ChangeTable(name)
        for name in CHANGE_MODELS
    }
    return ChangesSection(
        previous_run_id=comparison.run_id,
        previous_started_at=comparison.started_at,
        common=comparison.common,
        pruned_at=comparison.pruned_at,
        levels=tables["changes_levels"],
        findings=tables["changes_checks"],
        pages=tables["changes_pages"],
        bridges=tables["changes_bridges"],
        signals=tables["changes_signals"],
        profiles=tables["changes_profiles"],
    )


def _table(
    con: duckdb.DuckDBPyConnection, name: str, run_id: str, comparison: Comparison
) -> ChangeTable:
    model, row_type = CHANGE_MODELS[name]
    if row_type is None:
        return ChangeTable(name)
    params = change_params(model, comparison, run_id, limit=CHANGE_LIMIT)
    rows = [build(row_type, r) for r in analysed_records(con, model, **params)]
    total = len(rows)
    if total >= CHANGE_LIMIT:  # maybe more: count them all (only then: a second query)
        relation = con.sql(load_sql(model), params=change_params(model, comparison, run_id))
        total = relation.aggregate("count(*)").fetchall()[0][0]
    return ChangeTable(name, rows, total)
