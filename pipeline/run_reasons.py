"""The sentences a run's reason is made of, and how they join: ``pipeline/runs.py`` decides
which apply (the one place that judges a run), this module words them.

Each sentence is a marked pattern (``N_("message", …)``, then ``.format(…)``), so the English
reason the database keeps is also what a report translates (``unsilo.reports.messages``);
the sentences of one reason are joined with ``; `` (``join_reasons``), and the report
translates each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from unsilo.languages import N_

STALE_REASON = N_("message", "interrupted: the process stopped without finishing the run")
"""Why a run a dead process left ``running`` was closed (``runs.mark_stale_runs``)."""

LIMIT_REASONS = {
    "closespider_pagecount": (
        "max_pages",
        N_("message", "page limit reached ({} pages): the shop may hold more than was crawled"),
        N_("message", "page limit reached: the shop may hold more than was crawled"),
    ),
    "closespider_timeout": (
        "time_limit_s",
        N_("message", "time limit reached ({} s): the shop may hold more than was crawled"),
        N_("message", "time limit reached: the shop may hold more than was crawled"),
    ),
    "closespider_itemcount": (
        None,
        N_("message", "item limit reached: the shop may hold more than was crawled"),
        N_("message", "item limit reached: the shop may hold more than was crawled"),
    ),
}
"""Scrapy close reasons that mean a configured limit stopped the crawl: (scope key, reason with
the limit, reason without)."""

STEP_NAMES = {
    "social": N_("message", "social profiles"),
    "signals": N_("message", "social signals"),
}
"""The follow-up spiders of an audit, as a run's reason names them."""

NO_STATS = N_("message", "the crawl left no stats (killed or crashed): what was stored is kept")


def unstored_rows(stats: Mapping[str, Any] | None) -> str | None:
    """What storage refused, for the run's reason and the command's error line; None if
    nothing. Rows kept (in the job or a rescue folder) and rows lost are told apart:

    >>> unstored_rows({"unsilo/rows_not_stored": 40, "unsilo/kept_in": "/tmp/r",
    ...                "unsilo/storage_error": "No space left on device", "unsilo/rows_lost": 2})
    '40 rows could not be stored in the database (No space left on device); they are kept in \
/tmp/r and stored when the run is resumed (--resume); 2 rows are lost: no folder had room \
for them'
    """
    kept, lost = stat_count(stats, "unsilo/rows_not_stored"), stat_count(stats, "unsilo/rows_lost")
    error = (stats or {}).get("unsilo/storage_error")
    folder = (stats or {}).get("unsilo/kept_in") or N_("message", "the run’s job folder")
    parts = []
    if kept and error:
        parts.append(
            N_("message", "{} rows could not be stored in the database ({})").format(kept, error)
        )
    elif kept:
        parts.append(N_("message", "{} rows could not be stored in the database").format(kept))
    if kept:
        kept_in = N_("message", "they are kept in {} and stored when the run is resumed (--resume)")
        parts.append(kept_in.format(folder))
    if lost:
        parts.append(N_("message", "{} rows are lost: no folder had room for them").format(lost))
    return "; ".join(parts) or None  # join_reasons' separator


def stat_count(stats: Mapping[str, Any] | None, key: str) -> int:
    """A count from a crawl's stats (0 when absent)."""
    return int((stats or {}).get(key) or 0)


def limit_reason(scope: Mapping[str, Any], finish_reason: str) -> str:
    """Why a limit stopped the crawl, naming the limit when the run's scope set it.

    >>> limit_reason({"max_pages": 100}, "closespider_pagecount")
    'page limit reached (100 pages): the shop may hold more than was crawled'
    """
    key, with_limit, without = LIMIT_REASONS[finish_reason]
    value = scope.get(key) if key else None
    return with_limit.format(f"{value:g}") if isinstance(value, int | float) else without


def join_reasons(first: str | None, second: str) -> str:
    """Two sentences of a reason, each its own marked pattern (the report splits at ``; ``)."""
    return f"{first}; {second}" if first else second
