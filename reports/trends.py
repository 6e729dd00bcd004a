"""Trends across every run of a site: the report's "Trends" section and the chart on
``index.html``, both read from the ``trends`` mart (``report_trends``), so a pruned run still
draws and the exported ``trends`` file holds the very figures the chart shows.

A point is a run; runs are grouped by site (scheme and host, as comparisons group them). The
chart is inline SVG computed here, not in the template: the geometry is arithmetic a test can
check, and the template only prints coordinates. Share of pages per level and the average
score both run from 0 to 100, so one axis serves all lines; each line also has its own dash
pattern, so it still reads on a black-and-white print.

>>> section = build_trends(con, "2026-11-23T115000Z-ab12cd")  # doctest: +SKIP
>>> [p.avg_score for p in section.points], section.chart is None  # doctest: +SKIP
([38.0, 41.5], False)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from unsilo.pipeline.comparison import scope_differences, scope_of, site_of
from unsilo.reports.rows import analysed_records

WIDTH, HEIGHT = 720, 300
"""The chart's viewBox; it scales down to the page, text included, and prints at 12px."""
LEFT, RIGHT, TOP, BOTTOM = 48, 44, 16, 76  # room for the axis labels and the legend
DASHES = ("", "6 3", "2 3", "9 3 2 3", "4 4", "1 2")
"""One dash pattern per line (the score line is solid), so lines differ without colour."""


@dataclass(frozen=True, slots=True)
class LevelShare:
    """Pages at one level in a run, and their share of its scored pages (0-100)."""

    level: str
    pages: int
    share: float | None  # None: the run scored no page


@dataclass(frozen=True, slots=True)
class TrendValue:
    """One subject of a measure in a run: a severity, a signal source or a profile."""

    subject: str
    value: float | None  # None: unknown (a source that did not answer), never 0
    note: str | None = None  # a signal source's status, a profile's platform answer
    rank: int | None = None  # a severity's place, most severe first (severities seed)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One run on the trend: its totals as the ``trends`` mart kept them."""

    run_id: str
    started_at: datetime | None
    status: str | None
    avg_score: float | None
    scored_pages: int
    levels: list[LevelShare]
    severities: list[TrendValue]
    signals: list[TrendValue]  # signals found per source
    followers: list[TrendValue]  # per profile, "platform:handle"
    cadence: list[TrendValue]  # median days between a profile's posts
    scope: dict[str, Any] = field(default_factory=dict)  # comparison.scope_of the run
    reason: str | None = None  # why a partial run stopped
    other_scope: str | None = None  # how it was asked something else than the newest run

    @property
    def partial(self) -> bool:
        """A run stopped before it saw the whole shop: its point is drawn hollow."""
        return self.status == "partial"

    def of(self, measure: str, subject: str) -> float | None:
        """The run's value of ``subject`` in ``measure`` (a list field), None when absent."""
        return next((v.value for v in getattr(self, measure) if v.subject == subject), None)

    @property
    def label(self) -> str:
        """How the chart's axis names the run: its start date."""
        return f"{self.started_at:%Y-%m-%d}" if self.started_at else self.run_id


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """A drawn point: one run's value of one line, at SVG coordinates ``x``, ``y``."""

    run_id: str
    label: str
    value: float
    x: float
    y: float
    partial: bool = False  # drawn hollow: the run stopped early
    other_scope: bool = False  # the run was asked something else than the newest one


@dataclass(frozen=True, slots=True)
class ChartLine:
    """One line of the chart: a level's share of pages, or the average score."""

    measure: str  # "avg_score" or "share"
    level: str | None  # the level of a share line (its CSS colour class)
    label: str
    dash: str
    points: list[ChartPoint]
    legend_x: float = 0.0  # where its legend entry starts, under the plot
    legend_y: float = 0.0

    @property
    def path(self) -> str:
        """The polyline's ``points`` attribute."""
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True, slots=True)
class Tick:
    """An axis label at ``at`` (x for the run axis, y for the 0-100 axis)."""

    at: float
    label: str


@dataclass(frozen=True, slots=True)
class TrendChart:
    """The SVG chart's geometry: lines of points, axis ticks and the plot's box."""

    lines: list[ChartLine]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


@dataclass(frozen=True, slots=True)
class TrendSection:
    """The runs of one site, oldest first, and their chart (None before a second run: a
    trend starts with the next run)."""

    site: str
    points: list[TrendPoint] = field(default_factory=list)
    chart: TrendChart | None = None
    severities: list[str] = field(default_factory=list)  # table columns, over all runs
    sources: list[str] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)

    @property
    def partial_runs(self) -> int:
        return sum(p.partial for p in self.points)

    @property
    def other_scope_runs(self) -> int:
        return sum(p.other_scope is not None for p in self.points)


def build_trends(con: duckdb.DuckDBPyConnection, run_id: str) -> TrendSection | None:
    """The trend up to and including ``run_id``, over the runs of its site (None: the run
    has no totals, e.g. it is still running)."""
    points, sites, labels = _read(con)
    if run_id not in sites:
        return None
    site = sites[run_id]
    mine = [p for p in points if sites[p.run_id] == site]
    upto = [p.run_id for p in mine].index(run_id) + 1
    return trend_section(site, mine[:upto], labels)


def site_trends(con: duckdb.DuckDBPyConnection) -> list[TrendSection]:
    """One trend per site that has finished runs, for ``index.html``."""
    points, sites, labels = _read(con)
    return [
        trend_section(site, [p for p in points if sites[p.run_id] == site], labels)
        for site in sorted(set(sites.values()))
    ]


def _read(
    con: duckdb.DuckDBPyConnection,
) -> tuple[list[TrendPoint], dict[str, str], dict[str, str]]:
    """Every run's point (oldest first), its site, and the ladder's labels per level."""
    points, sites = [], {}
    for r in analysed_records(con, "report_trends"):
        sites[r["run_id"]] = site_of(r["start_url"])
        points.append(
            TrendPoint(
                r["run_id"],
                r["started_at"],
                r["status"],
                r["avg_score"],
                int(r["scored_pages"]),
                [LevelShare(v["level"], int(v["pages"] or 0), v["share"]) for v in r["levels"]],
                *(
                    [TrendValue(**v) for v in r[name]]
                    for name in ("severities", "signals", "followers", "cadence")
                ),
                scope=scope_of(r),
                reason=r["reason"],
            )
        )
    labels = {r["level"]: r["label"] for r in analysed_records(con, "report_levels")}
    return points, sites, labels


def trend_section(site: str, points: list[TrendPoint], labels: dict[str, str]) -> TrendSection:
    def subjects(name: str) -> list[str]:
        return sorted({v.subject for p in points for v in getattr(p, name)})

    ranks = {v.subject: v.rank or 99 for p in points for v in p.severities}
    severities = sorted(ranks, key=lambda s: (ranks[s], s))  # most severe first
    points = _with_scope_notes(points)

    return TrendSection(
        site,
        points,
        _chart(points, labels) if len(points) > 1 else None,
        severities,
        subjects("signals"),
        subjects("followers"),
    )


def _with_scope_notes(points: list[TrendPoint]) -> list[TrendPoint]:
    """Each point with how its scope differs from the newest run's (the one the reader
    compares with in mind), as the comparison says it: ``max_pages 100 → none``."""
    if not points:
        return points
    newest = {"settings": points[-1].scope}
    return [
        dataclasses.replace(p, other_scope="; ".join(diff) or None)
        if (diff := scope_differences({"settings": p.scope}, newest))
        else p
        for p in points
    ]


def _chart(points: list[TrendPoint], labels: dict[str, str]) -> TrendChart:
    """Lines for the average score and each level's share, one point per run."""
    step = (WIDTH - LEFT - RIGHT) / (len(points) - 1)
    xs = [round(LEFT + i * step, 1) for i in range(len(points))]

    def y(value: float) -> float:
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - min(max(value, 0), 100) / 100), 1)

    def line(measure: str, level: str | None, label: str, values: list[float | None]) -> ChartLine:
        drawn = [
            ChartPoint(p.run_id, p.label, v, x, y(v), p.partial, p.other_scope is not None)
            for p, x, v in zip(points, xs, values, strict=True)
            if v is not None
        ]
        return ChartLine(measure, level, label, "", drawn)

    lines = [line("avg_score", None, "Average score", [p.avg_score for p in points])]
    for level in dict.fromkeys(s.level for p in points for s in p.levels):
        shares = [next((s.share for s in p.levels if s.level == level), None) for p in points]
        lines.append(line("share", level, f"% {labels.get(level, level)}", shares))
    placed, x, row = [], float(LEFT), HEIGHT - BOTTOM + 42.0
    for i, item in enumerate(lines):
        width = 34 + 7.2 * len(item.label)  # swatch, gap and the label at about 7px a letter
        if x + width > WIDTH - RIGHT and x > LEFT:  # wrap to a second legend row
            x, row = float(LEFT), row + 20
        dash = DASHES[i % len(DASHES)]
        placed.append(ChartLine(item.measure, item.level, item.label, dash, item.points, x, row))
        x += width
    every = max(1, -(-len(points) // 8))  # at most about 8 dates under the axis
    x_ticks = [
        Tick(x, p.label + ("*" if p.other_scope else ""))
        for i, (p, x) in enumerate(zip(points, xs, strict=True))
        if i % every == 0
    ]
    y_ticks = [Tick(y(v), str(v)) for v in (0, 25, 50, 75, 100)]
    return TrendChart(placed, x_ticks, y_ticks)
