"""The live progress display on a terminal, drawn with ``rich``: one row per phase and source.

Finished phases stay as a one-line record (what they did, how long they took); the running
phase shows a bar (done of done + queued), its counts, rate and ETA, redrawn in place. The
figures come from ``unsilo.progress.Progress``; this module only draws them. Lines of the
run (``note``) are printed above the display, never into it. Crawled text never reaches it:
labels and notes are ours, printed without markup.
"""

from __future__ import annotations

import time

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from unsilo.progress import Clock, Figures, Progress, duration


class LiveProgress(Progress):
    """A ``rich.live.Live`` display; ``auto_refresh`` off (tests) redraws on each update."""

    def __init__(
        self,
        console: Console | None = None,
        clock: Clock = time.monotonic,
        auto_refresh: bool = True,
    ) -> None:
        super().__init__(clock)
        self.console = console or Console(stderr=True)
        self.auto_refresh = auto_refresh
        self.finished: list[tuple[str, float, list[Figures]]] = []
        self.live: Live | None = None

    def owns_terminal(self) -> bool:
        return True

    def note(self, line: str) -> None:
        self.console.print(Text(line), soft_wrap=True)

    def show_start(self, name: str) -> None:
        if self.live is None:
            self.live = Live(
                get_renderable=self.render,
                console=self.console,
                auto_refresh=self.auto_refresh,
                refresh_per_second=4,
                transient=False,
            )
            self.live.start()
        self._refresh()

    def show_update(self, name: str, figures: list[Figures]) -> None:
        self._refresh()

    def show_end(self, name: str, took: float, figures: list[Figures]) -> None:
        self.finished.append((name, took, figures))
        self._refresh()

    def close(self) -> None:
        if self.live is not None:
            self.live.refresh()
            self.live.stop()
            self.live = None

    def _refresh(self) -> None:
        if self.live is not None and not self.auto_refresh:
            self.live.refresh()

    def render(self) -> RenderableType:
        """The whole display: finished phases, then the running one with its rows."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)  # mark
        grid.add_column(no_wrap=True, min_width=22)  # label
        grid.add_column(no_wrap=True)  # bar
        grid.add_column()  # figures
        for name, took, rows in self.finished:
            if len(rows) > 1:  # a phase of several sources: one line each, then its time
                for row in rows:
                    grid.add_row(_mark(True), Text(row.tally.label), Text(""), Text(row.words()))
                grid.add_row(_mark(True), Text(name), Text(""), Text(f"done in {duration(took)}"))
                continue
            words = f"{rows[0].words()} · {duration(took)}" if rows else duration(took)
            grid.add_row(_mark(True), Text(name), Text(""), Text(words))
        if self.phase_name is not None:
            name = self.phase_name
            elapsed = self.clock() - self.phase_started.get(name, self.clock())
            rows = self.current.get(name) or []
            if not rows:
                running = Text(f"running, {duration(elapsed)}")
                grid.add_row(_mark(False), Text(name), Text(""), running)
            for row in rows:
                grid.add_row(
                    _mark(row.tally.finished),
                    Text(row.tally.label),
                    _bar(row),
                    Text(row.words()),
                )
        return Group(grid)


def _bar(row: Figures) -> RenderableType:
    queued = row.tally.queued
    if queued is None or row.tally.done + queued == 0:
        return Text("")
    total = row.tally.done + queued
    return ProgressBar(total=float(total or 1), completed=float(row.tally.done), width=24)


def _mark(finished: bool) -> Text:
    return Text("✓", style="green") if finished else Text("…", style="yellow")
