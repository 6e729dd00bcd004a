"""Which run a report compares with: the one place that decides.

A month-over-month figure is only worth showing when both runs looked at the same thing.
The previous run of a report is, among the runs started before it:

* of the same **site**: scheme and host of the start URL (``https://de.shop.example`` is not
  ``https://dk.shop.example``, although both share a registrable domain);
* **analysed** after it finished (a run crawled but never analysed has no levels: comparing
  with it said "previous 0 → +154 siloed") and holding pages (complete or partial);
* preferably of the same **scope** (start URL, limits, include/exclude rules, sources:
  ``SCOPE_KEYS`` of the recorded settings) and **complete**; failing that, the newest one
  that differs, with notes that say how, for the report's first screen.

Totals compare only like for like (same scope, both complete). Otherwise the report compares
the pages both runs scored (``common`` basis), which needs the per-page rows: a pruned run
(``unsilo prune``) is compared with only like for like. ``unsilo report --compare RUN_ID``
names the run instead; its differences are noted just the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import duckdb

from unsilo.languages import N_
from unsilo.pipeline.queries import run_sql

SCOPE_KEYS: tuple[str, ...] = (
    "start_url",
    "sitemaps",
    "max_pages",
    "max_depth",
    "time_limit_s",
    "include",
    "exclude",
    "drop_query",
    "social",
    "profiles",
    "exclude_profiles",
    "signals",
    "signal_sources",
)
"""Recorded settings (``unsilo.pipeline.run_scope.crawl_scope`` and the run's options) that make
two runs' totals comparable; politeness (delay, concurrency, user agent) does not."""


class ComparisonError(ValueError):
    """An explicitly named comparison run cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """The run a report compares with, and on which basis.

    ``common`` is True when only the pages both runs scored are compared (the runs differ in
    scope, or one of them is partial); ``notes`` say why, one sentence each. ``pruned_at`` is
    set when the run's per-page rows were pruned (like for like only): its totals compare,
    its pages cannot.
    """

    run_id: str
    started_at: datetime | None
    common: bool
    notes: tuple[str, ...]
    pruned_at: datetime | None = None


def site_of(url: str | None) -> str:
    """Scheme and host of ``url``, lower-cased: a run's site. The port is left out: a shop
    does not change by the port a test server or a proxy happens to listen on.

    >>> site_of("HTTPS://DE.Shop.example/sko?x=1"), site_of("http://shop.example:8080/")
    ('https://de.shop.example', 'http://shop.example')
    """
    parts = urlsplit(url or "")
    return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}"


def scope_of(run: dict[str, Any]) -> dict[str, Any]:
    """The comparable part of a run's recorded settings (missing keys are None)."""
    settings = run.get("settings")
    if isinstance(settings, str):
        settings = json.loads(settings or "{}")
    settings = settings if isinstance(settings, dict) else {}
    scope = {key: settings.get(key) for key in SCOPE_KEYS}
    start = urlsplit(scope["start_url"] or run.get("start_url") or "")
    scope["start_url"] = start._replace(netloc=start.hostname or "").geturl()  # port: see site_of
    return scope


def scope_differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """``"max_pages 100 → none"`` for each scope key the two runs set differently."""

    def shown(value: object) -> str:
        if value in (None, [], ""):
            return "none"
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)

    a, b = scope_of(old), scope_of(new)
    return [f"{key} {shown(a[key])} → {shown(b[key])}" for key in SCOPE_KEYS if a[key] != b[key]]


def choose_comparison(
    con: duckdb.DuckDBPyConnection, run_id: str, explicit: str | None = None
) -> Comparison | None:
    """The run ``run_id``'s report compares with (None: nothing comparable before it).

    ``explicit`` (``--compare``) names it; it must exist, be analysed and hold pages.
    """
    runs = _runs(con)
    this = runs.get(run_id)
    if this is None:
        return None
    if explicit is not None:
        chosen = runs.get(explicit)
        if chosen is None:
            raise ComparisonError(f"no run {explicit!r} to compare with; `unsilo runs` lists them")
        if problem := _unusable(chosen) or (explicit == run_id and "it is the reported run"):
            raise ComparisonError(f"cannot compare with run {explicit}: {problem}")
        comparison = _compare(this, chosen)
        if comparison is None:
            raise ComparisonError(
                f"cannot compare with run {explicit}: its raw rows were pruned and it differs "
                "in scope or status, so only totals remain and they are not comparable"
            )
        return comparison
    candidates = [
        run
        for run in runs.values()
        if run["run_id"] != run_id
        and _earlier(run, this)
        and site_of(run["start_url"]) == site_of(this["start_url"])
        and not _unusable(run)
    ]
    # like for like first (same scope and complete), then same scope, then newest
    candidates.sort(
        key=lambda run: (bool(scope_differences(run, this)), run["status"] != "complete")
    )
    for run in candidates:
        if (comparison := _compare(this, run)) is not None:
            return comparison
    return None


def _compare(this: dict[str, Any], other: dict[str, Any]) -> Comparison | None:
    notes = []  # each a marked pattern, so the report shows it in its language
    if site_of(other["start_url"]) != site_of(this["start_url"]):
        notes.append(
            N_("message", "It is a run of another site ({}).").format(site_of(other["start_url"]))
        )
    if differences := scope_differences(other, this):
        notes.append(
            N_("message", "It was asked something else: {}.").format("; ".join(differences))
        )
    if other["status"] != "complete":
        reason = other["reason"] or N_("message", "no reason recorded")
        notes.append(N_("message", "It is partial ({}).").format(reason))
    if this["status"] != "complete":
        notes.append(N_("message", "This run is partial."))
    if notes and other["pruned_at"] is not None:
        return None
    return Comparison(
        other["run_id"], other["started_at"], bool(notes), tuple(notes), other["pruned_at"]
    )


def _unusable(run: dict[str, Any]) -> str | None:
    """Why a run cannot be compared with at all, or None."""
    if run["status"] not in ("complete", "partial"):
        return f"it is {run['status']}"
    if not run["pages"]:
        return "it holds no pages"
    if run["analysed_at"] is None:
        return "it was never analysed (`unsilo report --run` it first)"
    return None


def _earlier(run: dict[str, Any], this: dict[str, Any]) -> bool:
    if run["started_at"] is None or this["started_at"] is None:
        return False
    return (run["started_at"], run["run_id"]) < (this["started_at"], this["run_id"])


def _runs(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    cursor = run_sql(con, "comparison_runs")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {row["run_id"]: row for row in rows}
