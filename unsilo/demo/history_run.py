"""Audit the demo shop's history: one dated run per month into one database, then the report.

The demo shop and the fakes of its social and signal APIs are served once, on fixed ports
for the whole history (a run's site and scope include the start URL, so every month must be
the same shop to be compared with the one before); each month only swaps what they serve
(``unsilo.demo.history.MonthState``). Scrapy's reactor runs once per process, so each month
is audited in a child process (``python -m unsilo.demo.history_run``) that sets the run's
clock (``unsilo.clock``) to the month's date and runs the same workflow as ``unsilo audit``:
crawl and record, then analyse and render (each month's report compares with the month
before; the last one's trend shows every month).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from unsilo.crawl_request import CrawlRequest
from unsilo.demo.history import MonthState, month_state
from unsilo.demo.server import DemoServer
from unsilo.signals.demo import demo_signal_server, demo_signal_slots
from unsilo.signals.fakes import FakeSignalServer
from unsilo.social.demo import demo_social_server
from unsilo.social.fakes import FakeSocialServer

EXIT_ENV = 4  # the CLI's exit code for an environment problem (unsilo.cli)
# Parallel requests per signal source: the fakes are local, so the sources that ask per page
# (Lemmy, Bluesky: hundreds of requests a month) need not ask one at a time.
SOURCE_CONCURRENCY = 8
# Pages a per-URL source asks about (default 200; the config file's budget wins): the demo's
# per-URL shares are of its most linked pages, which rank first, and twelve months of asking
# about every page would double the history's time (those sources then say "partial").
HISTORY_URL_BUDGET = 30


class HistoryError(Exception):
    """A month's audit could not run; the message says which and why."""


@dataclass(frozen=True)
class MonthRun:
    """What one month's audit made: its run, how it ended, where its report is."""

    k: int
    date: datetime
    run_id: str
    status: str
    reason: str | None
    report: Path


@dataclass
class _Served:
    """The servers of the history, and the state they serve now."""

    shop: DemoServer
    social: FakeSocialServer
    signals: FakeSignalServer

    def show(self, state: MonthState) -> None:
        """Serve month ``state``: the running servers answer from it from the next request."""
        self.shop.serve(state.shop())
        self.social.social = state.social(self.shop.url)
        self.signals.serve(state.signals(self.shop.url))


@contextlib.contextmanager
def serve_history(first: MonthState) -> Iterator[_Served]:
    """The shop and its fakes, started on month ``first``'s state, for the whole history."""
    shop = first.shop()
    with (
        DemoServer(shop) as server,
        demo_social_server(shop, server.url) as social,
        demo_signal_server(shop, server.url) as signals,
    ):
        served = _Served(server, social, signals)
        served.show(first)
        yield served


def run_history(
    request: Callable[[str, dict[str, str], dict[str, str]], CrawlRequest],
    out_dir: Path,
    *,
    months: int,
    pages: int,
    seed: int = 7,
    notify: Callable[[str], None] = lambda _line: None,
) -> list[MonthRun]:
    """Audit ``months`` monthly states of the demo shop (``pages`` pages at month 0) as dated
    runs; ``request(shop_url, social_endpoints, signal_endpoints)`` makes each month's
    ``CrawlRequest`` (the CLI's, as for ``unsilo audit --demo``). ``notify`` gets the
    servers' URLs and one line per month."""
    states = [month_state(k, months, seed, pages) for k in range(months)]
    done: list[MonthRun] = []
    with serve_history(states[0]) as served:
        notify(f"demo shop served at {served.shop.url}, history of {months} months")
        social, signals = {"local": served.social.url}, {"local": served.signals.url}
        base = request(served.shop.url, social, signals)
        budget = base.signal_url_budget or HISTORY_URL_BUDGET
        extra = _unpaced(base.extra_settings)
        base = dataclasses.replace(base, quiet=True, signal_url_budget=budget, extra_settings=extra)
        for state in states:
            served.show(state)
            run = audit_month(base, out_dir, state)
            done.append(run)
            reason = f" ({run.reason})" if run.reason else ""
            notify(f"{run.date:%Y-%m}: {state.pages} pages, run {run.run_id}: {run.status}{reason}")
    return done


def _unpaced(extra: dict[str, Any]) -> dict[str, Any]:
    """``extra`` with the signal sources' download slots (the demo's, unpaced) made parallel,
    unless ``-s DOWNLOAD_SLOTS=…`` chose them."""
    slots = extra.get("DOWNLOAD_SLOTS") or demo_signal_slots()
    if slots == demo_signal_slots():
        slots = {name: {**slot, "concurrency": SOURCE_CONCURRENCY} for name, slot in slots.items()}
    return {**extra, "DOWNLOAD_SLOTS": slots}


def audit_month(request: CrawlRequest, out_dir: Path, state: MonthState) -> MonthRun:
    """One month's audit in a child process, its run's clock set to the month's date."""
    job = pickle.dumps((request, out_dir, state.date))
    child = subprocess.run(
        [sys.executable, "-m", "unsilo.demo.history_run"],
        input=job,
        capture_output=True,
        check=False,
    )
    lines = child.stdout.decode("utf-8", "replace").strip().splitlines()
    if child.returncode != 0 or not lines:
        why = child.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(f"month {state.date:%Y-%m}: {why[-1] if why else 'no answer'}")
    answer = json.loads(lines[-1])
    return MonthRun(
        state.k,
        state.date,
        answer["run_id"],
        answer["status"],
        answer["reason"],
        Path(answer["report"]),
    )


def _audit_in_child() -> int:
    """The child's side: crawl, record, analyse and render on the month's clock."""
    from unsilo.clock import run_clock
    from unsilo.report_run import analyse_and_render
    from unsilo.workflow import WorkflowError, crawl_and_record

    request, out_dir, at = pickle.loads(sys.stdin.buffer.read())
    try:
        with run_clock(at):
            run = crawl_and_record(request)
            report = analyse_and_render(request.db_path, run.run_id, out_dir)
    except WorkflowError as exc:
        print(f"unsilo: error: {exc}", file=sys.stderr)
        return EXIT_ENV
    answer = {"run_id": run.run_id, "status": run.status, "reason": run.reason}
    print(json.dumps({**answer, "report": str(report)}))
    return 0


if __name__ == "__main__":
    sys.exit(_audit_in_child())
