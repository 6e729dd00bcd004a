"""Small readers shared by the news and Reddit sources: counts, times and own handles.

Answers are JSON from other people's servers, so a count may be missing, ``null`` or a
string; these turn such values into the ``SignalItem`` facts or ``None`` (unknown), never 0.
"""

from __future__ import annotations

from datetime import UTC, datetime

from unsilo.signals.source import SignalContext


def count(value: object) -> int | None:
    """An integer count, or ``None`` for anything else (``True`` is not a count).

    >>> count(12), count(None), count("12"), count(3.0)
    (12, None, None, 3)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def epoch_iso(value: object) -> str | None:
    """Epoch seconds (Reddit sends floats) as ISO 8601 UTC; ``None`` when unreadable.

    >>> epoch_iso(1787666599)
    '2026-08-25T14:03:19+00:00'
    """
    seconds = count(value)
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def by_shop(ctx: SignalContext, platform: str, handle: object) -> bool:
    """Whether ``handle`` on ``platform`` is one of the shop's own profiles
    (``ctx.own_handles`` holds ``platform:handle``; compared without case)."""
    if not isinstance(handle, str) or not handle:
        return False
    own = {name.lower() for name in ctx.own_handles}
    return f"{platform}:{handle}".lower() in own
