"""Paging a newest-first listing by time, for APIs whose page numbers stop short.

Algolia stops at 1,000 hits per query and Arctic Shift pages only by date, so the next page
is "older than the oldest row seen". Rows from the same second may straddle the boundary:
the next page asks for rows up to *and including* that second and skips the ids already
read there, so none is lost and none counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable


def time_boundary(
    stamped: Iterable[tuple[int, str]], skip: Iterable[str] = ()
) -> tuple[int, tuple[str, ...]] | None:
    """Where the next page starts: the oldest second among a page's ``(epoch, id)`` rows,
    and the ids read at it (to skip there). A page that brought nothing new (all its rows
    were ``skip``: more rows in one second than a page holds) moves one second older, so
    paging never stands still. ``None`` for an empty page.

    >>> time_boundary([(30, "a"), (10, "b"), (10, "c")])
    (10, ('b', 'c'))
    >>> time_boundary([(10, "b")], skip=["b"])
    (9, ())
    >>> time_boundary([]) is None
    True
    """
    rows = list(stamped)
    if not rows:
        return None
    oldest = min(stamp for stamp, _ in rows)
    done = set(skip)
    if all(row_id in done for _, row_id in rows):
        return oldest - 1, ()
    return oldest, tuple(row_id for stamp, row_id in rows if stamp == oldest)
