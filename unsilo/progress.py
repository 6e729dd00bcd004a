"""How a run tells what it is doing: one owner for every phase's progress, three renderers.

The phases of an audit (shop crawl, social profiles, signals, analysis, render) report
``Tally`` rows — done, queued, a note — to a ``Progress``; it keeps the rate and ETA per
row (one ``Meter`` each, on an injectable clock) and hands the figures to its renderer:

* ``LiveProgress`` on a terminal: a ``rich`` display redrawn in place, one row per phase;
  Scrapy's log is kept out of it (``-v`` chooses the plain lines instead);
* ``PlainProgress`` without one (cron, a pipe): timestamped lines, at each phase's start
  and end and every ``every`` seconds between, so a cron mail says when what happened;
* ``QuietProgress`` (``-q``): nothing; the command prints only its end summary.

``progress_for`` chooses. Whoever runs a phase only counts; how it is shown is decided here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

Clock = Callable[[], float]
"""Seconds, monotonic (``time.monotonic``); tests pass a fake one."""

RATE_WINDOW = 20.0
"""Seconds of samples a rate is averaged over: recent enough to follow a slowing shop."""


@dataclass(frozen=True)
class Tally:
    """One row of a phase's progress: ``done`` units, ``queued`` still to do (None: unknown)."""

    label: str  # "shop crawl", "signals: reddit"
    done: int
    queued: int | None = None
    unit: str = "pages"
    note: str = ""  # "12 found", "3 errors"
    finished: bool = False


class Meter:
    """The rate (units per second over the last ``RATE_WINDOW``) and ETA of one row."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.samples: deque[tuple[float, int]] = deque()

    def add(self, done: int) -> None:
        now = self.clock()
        self.samples.append((now, done))
        while len(self.samples) > 2 and now - self.samples[1][0] >= RATE_WINDOW:
            self.samples.popleft()

    def rate(self) -> float | None:
        if len(self.samples) < 2:
            return None
        (t0, d0), (t1, d1) = self.samples[0], self.samples[-1]
        return (d1 - d0) / (t1 - t0) if t1 > t0 else None

    def eta(self, queued: int | None) -> float | None:
        """Seconds left at the current rate; None while the rate or the queue is unknown."""
        rate = self.rate()
        if queued is None or not rate or rate <= 0:
            return None
        return queued / rate


def duration(seconds: float | None) -> str:
    """``0:01:05``; ``?`` when unknown."""
    if seconds is None:
        return "?"
    whole = int(round(seconds))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def unit_abbrev(unit: str) -> str:
    """``p/s`` for pages, ``req/s`` for requests: the short rate unit."""
    return {"pages": "p", "requests": "req", "steps": "steps"}.get(unit, unit)


@dataclass
class Figures:
    """A tally with its rate and ETA, as a renderer shows it."""

    tally: Tally
    rate: float | None
    eta: float | None

    def words(self) -> str:
        """``1,200 pages done, 340 queued, 41.3 p/s, ETA 0:00:08`` (only what is known)."""
        t = self.tally
        if not t.done and t.queued is None and t.note:
            return t.note  # a phase that did nothing says why, not "0 done"
        unit = t.unit[:-1] if t.done == 1 and t.unit.endswith("s") else t.unit
        parts = [f"{t.done:,} {unit} done"]
        if t.queued is not None and not t.finished:
            parts.append(f"{t.queued:,} queued")
        if self.rate is not None and not t.finished:  # the phase's time says the rest
            parts.append(f"{self.rate:.1f} {unit_abbrev(t.unit)}/s")
        if self.eta is not None and not t.finished:
            parts.append(f"ETA {duration(self.eta)}")
        if t.note:
            parts.append(t.note)
        return ", ".join(parts)


class Progress:
    """The owner of progress: phases start and end, tallies arrive, renderers show them."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self.clock = clock
        self.meters: dict[str, Meter] = {}
        self.phase_started: dict[str, float] = {}
        self.current: dict[str, list[Figures]] = {}  # phase → its rows, last reported
        self.phase_name: str | None = None

    # --- what the phases call -------------------------------------------------------------

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """A phase from start to end; its end is shown even when it raises."""
        self.start(name)
        try:
            yield
        finally:
            self.end(name)

    def start(self, name: str) -> None:
        self.phase_name = name
        self.phase_started[name] = self.clock()
        self.current[name] = []
        self.show_start(name)

    def update(self, name: str, tallies: list[Tally]) -> None:
        figures = []
        for tally in tallies:
            meter = self.meters.setdefault(tally.label, Meter(self.clock))
            meter.add(tally.done)
            figures.append(Figures(tally, meter.rate(), meter.eta(tally.queued)))
        self.current[name] = figures
        self.show_update(name, figures)

    def end(self, name: str) -> None:
        took = self.clock() - self.phase_started.get(name, self.clock())
        rows = [
            Figures(dataclasses.replace(f.tally, finished=True), f.rate, None)
            for f in self.current.get(name, [])
        ]
        self.current[name] = rows
        self.show_end(name, took, rows)
        self.phase_name = None

    def note(self, line: str) -> None:
        """A message of the run (which run is continued, a warning): one line."""

    def close(self) -> None:
        """Stop drawing; called once the run is over, before its summary."""

    def owns_terminal(self) -> bool:
        """True when a live display would be garbled by Scrapy's own log lines."""
        return False

    # --- what a renderer shows --------------------------------------------------------------

    def show_start(self, name: str) -> None: ...

    def show_update(self, name: str, figures: list[Figures]) -> None: ...

    def show_end(self, name: str, took: float, figures: list[Figures]) -> None: ...


class QuietProgress(Progress):
    """``-q``: nothing until the end summary (errors are printed by whoever meets them)."""


class PlainProgress(Progress):
    """Timestamped lines for a log: phase start and end, and every ``every`` seconds."""

    def __init__(
        self,
        stream: TextIO | None = None,
        clock: Clock = time.monotonic,
        every: float = 10.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(clock)
        self.stream = stream
        self.every = every
        self.now = now
        self.last_line = -every

    def write(self, text: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(f"{self.now():%Y-%m-%dT%H:%M:%SZ} {text}\n")
        stream.flush()

    def note(self, line: str) -> None:
        self.write(line)

    def show_start(self, name: str) -> None:
        self.write(f"{name}: started")
        self.last_line = self.clock()

    def show_update(self, name: str, figures: list[Figures]) -> None:
        if self.clock() - self.last_line < self.every:
            return
        self.last_line = self.clock()
        for row in figures:
            self.write(f"{row.tally.label}: {row.words()}")

    def show_end(self, name: str, took: float, figures: list[Figures]) -> None:
        for row in figures:
            self.write(f"{row.tally.label}: {row.words()}")
        self.write(f"{name}: done in {duration(took)}")


class Steps:
    """A phase made of a known number of steps (render: exports, archive, report, index)."""

    def __init__(self, progress: Progress, phase: str, total: int) -> None:
        self.progress, self.phase, self.total, self.done = progress, phase, total, 0
        self.did(0)

    def did(self, steps: int = 1) -> None:
        self.done += steps
        tally = Tally(self.phase, self.done, self.total - self.done, "steps")
        self.progress.update(self.phase, [tally])


def progress_for(
    quiet: bool, verbose: bool, stream: TextIO | None = None, clock: Clock = time.monotonic
) -> Progress:
    """The renderer for this terminal: quiet, live (a TTY without ``-v``), or plain lines."""
    if quiet:
        return QuietProgress(clock)
    stream = stream or sys.stderr
    if stream.isatty() and not verbose:
        from unsilo.progress_live import LiveProgress

        return LiveProgress(clock=clock)
    return PlainProgress(stream, clock)


def noop() -> Progress:
    """A progress that shows nothing: for callers (tests, the library) that pass none."""
    return QuietProgress()
