"""The progress renderers, driven by a fake clock: what a log and a terminal are shown."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from rich.console import Console

from unsilo.progress import Meter, PlainProgress, QuietProgress, Steps, Tally, progress_for
from unsilo.progress_live import LiveProgress


class FakeClock:
    """Monotonic seconds and a UTC wall clock that move only when told."""

    def __init__(self) -> None:
        self.t = 0.0
        self.start = datetime(2026, 12, 6, 3, 0, 0, tzinfo=UTC)

    def __call__(self) -> float:
        return self.t

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.t)


def test_the_rate_is_done_per_second_and_the_eta_the_queue_at_that_rate() -> None:
    clock = FakeClock()
    meter = Meter(clock)
    meter.add(0)
    assert meter.rate() is None and meter.eta(10) is None  # one sample: no rate yet
    clock.t = 10.0
    meter.add(413)
    assert meter.rate() == 41.3
    assert round(meter.eta(340) or 0, 2) == 8.23
    assert meter.eta(None) is None  # a queue not known: no ETA, never a made-up one


def test_plain_lines_are_timestamped_at_start_every_interval_and_end() -> None:
    clock, out = FakeClock(), io.StringIO()
    progress = PlainProgress(out, clock, every=10.0, now=clock.now)
    progress.start("shop crawl")
    progress.update("shop crawl", [Tally("shop crawl", 0, 20)])
    clock.t = 4.0
    progress.update("shop crawl", [Tally("shop crawl", 150, 300)])  # within 10 s: no line
    clock.t = 10.0
    progress.update("shop crawl", [Tally("shop crawl", 413, 340, note="2 errors")])
    clock.t = 19.0
    progress.end("shop crawl")
    assert out.getvalue().splitlines() == [
        "2026-12-06T03:00:00Z shop crawl: started",
        "2026-12-06T03:00:10Z shop crawl: 413 pages done, 340 queued, 41.3 p/s, ETA 0:00:08, "
        "2 errors",
        "2026-12-06T03:00:19Z shop crawl: 413 pages done, 2 errors",
        "2026-12-06T03:00:19Z shop crawl: done in 0:00:19",
    ]


def test_a_phase_of_steps_counts_them_and_a_note_is_one_timestamped_line() -> None:
    clock, out = FakeClock(), io.StringIO()
    progress = PlainProgress(out, clock, every=0.0, now=clock.now)
    with progress.phase("render"):
        steps = Steps(progress, "render", total=4)
        clock.t = 1.0
        steps.did()
    progress.note("run r1: complete")
    lines = out.getvalue().splitlines()
    assert "2026-12-06T03:00:01Z render: 1 step done, 3 queued, 1.0 steps/s, ETA 0:00:03" in lines
    assert lines[-2:] == [
        "2026-12-06T03:00:01Z render: done in 0:00:01",
        "2026-12-06T03:00:01Z run r1: complete",
    ]


def test_quiet_shows_nothing_and_no_tty_means_plain_lines() -> None:
    quiet = progress_for(quiet=True, verbose=False, stream=io.StringIO())
    assert isinstance(quiet, QuietProgress)
    with quiet.phase("analysis"):
        quiet.note("never shown")
    assert isinstance(progress_for(quiet=False, verbose=False, stream=io.StringIO()), PlainProgress)


def live(clock: FakeClock) -> tuple[LiveProgress, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    return LiveProgress(console, clock, auto_refresh=False), out


def test_the_live_display_shows_phase_counts_rate_and_eta() -> None:
    clock = FakeClock()
    progress, out = live(clock)
    progress.start("shop crawl")
    progress.update("shop crawl", [Tally("shop crawl", 0, 50)])
    clock.t = 10.0
    progress.update("shop crawl", [Tally("shop crawl", 1200, 340, note="3 errors")])
    screen = out.getvalue()
    assert "shop crawl" in screen
    assert "1,200 pages done, 340 queued, 120.0 p/s, ETA 0:00:03, 3 errors" in screen
    assert "━" in screen  # the bar
    clock.t = 12.0
    progress.end("shop crawl")
    progress.close()
    assert "✓ shop crawl" in out.getvalue()
    assert "1,200 pages done, 3 errors · 0:00:12" in out.getvalue()


def test_the_live_display_shows_each_signal_source_and_notes_above_it() -> None:
    clock = FakeClock()
    progress, out = live(clock)
    progress.start("signals")
    rows = [
        Tally("signals: lemmy", 0, 200, "requests", "0 found"),
        Tally("signals: reddit", 0, None, "requests", "needs token", finished=True),
    ]
    progress.update("signals", rows)
    clock.t = 2.0
    progress.update("signals", [Tally("signals: lemmy", 90, 110, "requests", "4 found"), rows[1]])
    progress.note("warning: signals: pinterest: HTTP 429 from pinterest")
    progress.end("signals")
    progress.close()
    screen = out.getvalue()
    assert "signals: lemmy" in screen and "90 requests done, 110 queued, 45.0 req/s" in screen
    assert "signals: reddit" in screen and "needs token" in screen
    assert "warning: signals: pinterest: HTTP 429 from pinterest" in screen
    assert "done in 0:00:02" in screen


def test_crawled_text_in_a_note_is_not_read_as_markup() -> None:
    progress, out = live(FakeClock())
    progress.note("warning: [bold]not bold[/bold] <script>")
    assert "[bold]not bold[/bold] <script>" in out.getvalue()


def test_the_signals_step_is_read_per_source_from_its_spiders_ledger() -> None:
    from types import SimpleNamespace

    from unsilo.crawl_progress import source_tallies
    from unsilo.signals.ledger import SourceRun

    lemmy = SourceRun("lemmy", None, requests=40, in_flight=2, found=3)
    lemmy.queue.extend([object()] * 10)
    wayback = SourceRun("wayback", None, requests=1, found=42, done=True)
    crawler = SimpleNamespace(spider=SimpleNamespace(runs={"wayback": wayback, "lemmy": lemmy}))
    assert source_tallies(crawler) == [
        Tally("signals: Lemmy", 38, 12, "requests", "3 found"),
        Tally("signals: Wayback Machine", 1, 0, "requests", "42 found", finished=True),
    ]  # each source named as its brand writes itself
    assert source_tallies(SimpleNamespace(spider=None)) == []  # not open yet: no rows
