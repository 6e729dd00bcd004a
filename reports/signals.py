"""The report's signals sections: broken bridges, most shared and discussed pages, the sources
asked, and each shown page's signals per source.

Read from the ``report_signal_*``, ``report_broken_bridges`` and ``report_page_signals``
queries. A run that asked no source (signals off) gets ``SignalsSection.asked`` False and a
note saying so; "unknown" (a source down, rate-limited, needing a token) is carried as its
reason and never shown as "nothing found".

>>> section = build_signals(con, "2026-11-23T115000Z-ab12cd")  # doctest: +SKIP
>>> section.asked, [b.url for b in section.bridges]  # doctest: +SKIP
(True, ['https://shop.example/old-product'])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from unsilo.reports.rows import build, records

BRIDGE_LIMIT = 50
"""Broken bridges listed at most; the rest are in the findings export."""
BRIDGE_PERMALINKS = 3
"""Links to shares shown per broken bridge."""
LEADER_LIMIT = 10
"""Rows in "most shared" and in "most discussed"."""


@dataclass(frozen=True, slots=True)
class BrokenBridge:
    """A shared URL that now leaks what its shares earned; ``message`` says how and why."""

    url: str
    message: str | None  # "Shared 3 times (hackernews, lemmy) and now answers HTTP 404"
    permalinks: list[str]  # the first few shares (crawled text: link only http(s))
    permalink_count: int  # all shares with a permalink, shown or not


@dataclass(frozen=True, slots=True)
class SignalPage:
    """A page in "most shared" or "most discussed"; None counts are unknown, not 0."""

    ranking: str  # 'shared' | 'discussed'
    url: str
    title: str | None
    level: str
    score: int | None
    shares: int
    shop_posts: int
    comments: int | None
    talk_backs: int | None
    shared_on: list[str]  # the sources that found it


@dataclass(frozen=True, slots=True)
class SourceAnswer:
    """How one source answered in this run (a row of the "sources asked" table)."""

    source: str
    status: str  # ok | partial | reused | needs token | rate limited | refused | …
    reason: str | None
    requests: int
    urls_asked: int
    urls_fresh: int  # answers of earlier runs still fresh, reused instead of asked again
    urls_wanted: int
    found: int
    token_hint: str | None  # what a token would add, naming the variable
    answered: bool


@dataclass(frozen=True, slots=True)
class SourceSignal:
    """What one source says of one page: found (counts), none, or unknown (``reason``)."""

    source: str
    status: str  # found | none | unknown
    reason: str | None
    shares: int | None
    points: int | None
    comments: int | None
    replies_by_others: int | None
    permalink: str | None  # the first share (crawled text: link only http(s))


@dataclass(frozen=True, slots=True)
class PageSignals:
    """A page's signals as its table row shows them: a line per found or unknown source, and
    the sources that answered "nothing" in one list, so the table stays light."""

    lines: list[SourceSignal] = field(default_factory=list)
    nothing_found: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SignalsSection:
    """What the signals sections show; ``asked`` is False when the run asked no source."""

    asked: bool = False
    sources_answered: int = 0
    signals_found: int = 0
    pages_shared: int = 0
    pages_in_conversation: int = 0
    broken_bridges: int = 0  # all of them; ``bridges`` holds at most BRIDGE_LIMIT
    bridges: list[BrokenBridge] = field(default_factory=list)
    sources: list[SourceAnswer] = field(default_factory=list)
    most_shared: list[SignalPage] = field(default_factory=list)
    most_discussed: list[SignalPage] = field(default_factory=list)


NO_SIGNALS = SignalsSection()
NO_PAGE_SIGNALS = PageSignals()


def build_signals(con: duckdb.DuckDBPyConnection, run_id: str) -> SignalsSection:
    """The run's signals sections (broken bridges are listed even when no source was asked)."""
    [summary] = records(con, "report_signal_summary", run_id=run_id)
    leaders = [
        build(SignalPage, r)
        for r in records(con, "report_signal_leaders", run_id=run_id, limit=LEADER_LIMIT)
    ]
    bridges = records(
        con,
        "report_broken_bridges",
        run_id=run_id,
        limit=BRIDGE_LIMIT,
        permalinks=BRIDGE_PERMALINKS,
    )
    return SignalsSection(
        asked=summary["sources_asked"] > 0,
        sources_answered=summary["sources_answered"],
        signals_found=summary["signals_found"],
        pages_shared=summary["pages_shared"],
        pages_in_conversation=summary["pages_in_conversation"],
        broken_bridges=summary["broken_bridges"],
        bridges=[build(BrokenBridge, r) for r in bridges],
        sources=[
            build(SourceAnswer, r) for r in records(con, "report_signal_sources", run_id=run_id)
        ],
        most_shared=[p for p in leaders if p.ranking == "shared"],
        most_discussed=[p for p in leaders if p.ranking == "discussed"],
    )


def page_signals(
    con: duckdb.DuckDBPyConnection, run_id: str, urls: list[str]
) -> dict[str, PageSignals]:
    """Each of ``urls`` (the pages the table shows) → its signals; pages no source was asked
    about are absent."""
    by_page: dict[str, PageSignals] = {}
    for r in records(con, "report_page_signals", run_id=run_id, urls=urls):
        page = by_page.setdefault(r["url"], PageSignals())
        if r["status"] == "none":
            page.nothing_found.append(r["source"])
        else:
            page.lines.append(build(SourceSignal, r))
    return by_page
