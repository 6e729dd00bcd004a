"""The run's clock: the one place that says what "now" is for a run.

Production never sets it, so every run is dated by real time. The history demo
(``unsilo.demo.history_run``) sets it per month in the process that audits that month, so
the run's id, ``started_at``/``finished_at``, fetch times, the social window ("posts in the
last 30 days"), the signals' reuse of fresh answers and the analysis stamp all agree on a
month that is not today, and a twelve-month history is the same every time it is made.

The set clock keeps ticking from the instant it is set to (real seconds elapse), so a run
still finishes after it starts; only the date is chosen.

>>> from datetime import UTC, datetime
>>> with run_clock(datetime(2026, 3, 1, tzinfo=UTC)):
...     now().date().isoformat()
'2026-03-01'
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

_set: tuple[datetime, float] | None = None  # (the instant set, time.monotonic() then)


def now() -> datetime:
    """The run's current time, aware UTC: real time unless ``run_clock`` set another."""
    if _set is None:
        return datetime.now(UTC)
    at, since = _set
    return at + timedelta(seconds=time.monotonic() - since)


def utcnow_naive() -> datetime:
    """``now()`` as naive UTC, for the ``TIMESTAMP`` (no time zone) columns of the runs."""
    return now().replace(tzinfo=None)


@contextlib.contextmanager
def run_clock(at: datetime | None) -> Iterator[None]:
    """Within the block, the run's clock starts at ``at`` (aware; naive means UTC);
    ``None`` leaves real time. Process-wide: the crawl's spiders run in this process."""
    global _set
    before = _set
    if at is not None:
        _set = (at if at.tzinfo else at.replace(tzinfo=UTC), time.monotonic())
    try:
        yield
    finally:
        _set = before
