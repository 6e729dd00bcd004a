"""Robots directives from ``<meta name=robots|googlebot|…>`` and ``X-Robots-Tag``.

unsilo audits as Googlebot: directives aimed at ``robots`` (everyone) or ``googlebot``
count; an ``X-Robots-Tag`` value prefixed with another user agent (``otherbot: noindex``)
is kept raw in ``x_robots_tag`` but does not make the page noindex.

Lighthouse's is-crawlable audit asks a second question, recorded as
``blocked_agents``: which of the search bots it knows (``robots`` meaning every crawler,
Googlebot, bingbot, DuckDuckBot, archive.org_bot) are told ``noindex``, ``none`` or an
``unavailable_after`` date already past. Whether a date has passed depends on when the
page was fetched, so the caller hands in ``now``; without it no date is judged (pure
fixtures stay stable), and the date itself is kept as ``unavailable_after``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from lxml.html import HtmlElement

from unsilo.extract.dom import ALL_METAS, attr_lower

APPLIES_TO = frozenset({"robots", "googlebot"})
SEARCH_BOTS = ("robots", "googlebot", "bingbot", "duckduckbot", "archive.org_bot")
BLOCKING = frozenset({"noindex", "none"})
DIRECTIVE_NAMES = frozenset(
    {
        "all",
        "index",
        "follow",
        "noindex",
        "nofollow",
        "none",
        "noarchive",
        "nocache",
        "nosnippet",
        "notranslate",
        "noimageindex",
        "noodp",
        "noydir",
        "indexifembedded",
        "max-snippet",
        "max-image-preview",
        "max-video-preview",
        "unavailable_after",
    }
)


@dataclass(slots=True)
class RobotsFacts:
    directives: list[str] = field(default_factory=list)
    x_robots_tag: list[str] = field(default_factory=list)
    noindex: bool = False
    nofollow: bool = False
    unavailable_after: str | None = None
    blocked_agents: list[str] = field(default_factory=list)


def split_directives(value: str) -> list[str]:
    """``"NOINDEX, Follow"`` → ``["noindex", "follow"]``.

    ``unavailable_after`` dates contain commas (``Sunday, 01-Sep-30``), so a piece that
    is not a directive is glued back onto an ``unavailable_after`` before it.
    """
    out: list[str] = []
    for piece in value.lower().split(","):
        piece = " ".join(piece.split())
        if not piece:
            continue
        if out and out[-1].startswith("unavailable_after") and _name(piece) not in DIRECTIVE_NAMES:
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def _name(directive: str) -> str:
    return directive.split(":", 1)[0].strip()


def header_directives(value: str) -> list[tuple[str | None, str]]:
    """``(user_agent, directive)`` pairs of one ``X-Robots-Tag`` value.

    A ``name: rest`` piece whose name is not a directive names a user agent; it applies
    to the directives after it, until the next user agent.

    >>> header_directives("otherbot: noindex, nofollow")
    [('otherbot', 'noindex'), ('otherbot', 'nofollow')]
    """
    agent: str | None = None
    pairs: list[tuple[str | None, str]] = []
    for piece in split_directives(value):
        name, sep, rest = piece.partition(":")
        if sep and name.strip() not in DIRECTIVE_NAMES and " " not in name.strip():
            agent = name.strip()
            piece = rest.strip()
            if not piece:
                continue
        pairs.append((agent, piece))
    return pairs


def parse_unavailable_after(directive: str) -> datetime | None:
    """The date of an ``unavailable_after`` directive, in UTC; None when unreadable.

    Google reads RFC 822/850 and ISO 8601 dates; a date without a zone is taken as UTC.

    >>> parse_unavailable_after("unavailable_after: 25 jun 2010 15:00:00 pst").isoformat()
    '2010-06-25T23:00:00+00:00'
    >>> parse_unavailable_after("unavailable_after: 2030-09-01").isoformat()
    '2030-09-01T00:00:00+00:00'
    """
    value = directive.partition(":")[2].strip()
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(value.upper())
        except ValueError:
            return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def blocks(directive: str, now: datetime | None) -> bool:
    """True for ``noindex``, ``none`` and an ``unavailable_after`` date before ``now``."""
    name = _name(directive)
    if name in BLOCKING:
        return True
    if name == "unavailable_after" and now is not None:
        when = parse_unavailable_after(directive)
        return when is not None and when <= now
    return False


def _agent_directives(root: HtmlElement | None, header_values: list[str]) -> list[tuple[str, str]]:
    """``(agent, directive)`` of every meta and header directive; ``robots`` = every crawler."""
    pairs: list[tuple[str, str]] = []
    if root is not None:
        for meta in ALL_METAS(root):
            name = attr_lower(meta, "name")
            if name in SEARCH_BOTS:
                pairs.extend((name, d) for d in split_directives(meta.get("content") or ""))
    for value in header_values:
        pairs.extend((agent or "robots", d) for agent, d in header_directives(value))
    return pairs


def extract_robots(
    root: HtmlElement | None, header_values: list[str], now: datetime | None = None
) -> RobotsFacts:
    """Combine meta robots (when there is a tree) with every ``X-Robots-Tag`` value.

    ``now`` (the fetch time) decides whether an ``unavailable_after`` date has passed.
    """
    pairs = _agent_directives(root, header_values)
    directives = list(dict.fromkeys(d for agent, d in pairs if agent in APPLIES_TO))
    names = {_name(d) for d in directives}
    dates = [
        when
        for d in directives
        if _name(d) == "unavailable_after" and (when := parse_unavailable_after(d)) is not None
    ]
    passed = now is not None and any(when <= now for when in dates)
    blocked = {agent for agent, d in pairs if agent in SEARCH_BOTS and blocks(d, now)}
    return RobotsFacts(
        directives=directives,
        x_robots_tag=list(header_values),
        noindex=bool(names & BLOCKING) or passed,
        nofollow=bool(names & {"nofollow", "none"}),
        unavailable_after=min(dates).isoformat() if dates else None,
        blocked_agents=[agent for agent in SEARCH_BOTS if agent in blocked],
    )
