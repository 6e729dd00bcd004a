"""``unsilo audit --demo --history N`` (and ``unsilo demo --history N``): the demo shop's
history audited month by month (``unsilo.demo.history_run``), then where the report is.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from unsilo.cli_options import (
    DEFAULT_DEMO_PAGES,
    EXIT_ENV,
    EXIT_FAILED,
    EXIT_USAGE,
    STATUS_EXIT,
    fail,
)
from unsilo.cli_output import echo_summary
from unsilo.cli_requests import crawl_request, crawl_settings

HISTORY_OPTION = click.option(
    "--history",
    type=click.IntRange(1, 36),
    help="With --demo: audit N monthly states of the demo shop (60 pages at first, or "
    "--demo-pages) as runs dated 2026-01-01, 2026-02-01, … into one database, then write "
    "the report with their trend.",
)
DEMO_HISTORY_OPTION = click.option(
    "--history",
    type=click.IntRange(1, 36),
    help="Serve nothing: run `unsilo audit --demo --history N` instead (N dated monthly "
    "runs, then the report with their trend; --pages, if given, sets the first month's size).",
)


def audit_history(options: dict[str, Any], months: int) -> None:
    """Audit ``months`` months of the demo shop and print where the report is; exits with
    the last month's status code (0 when it is complete)."""
    from unsilo.demo.history import HISTORY_PAGES
    from unsilo.demo.history_run import HistoryError, run_history

    if not options["demo"]:
        fail("--history needs --demo: only the demo shop has a history to replay", EXIT_USAGE)
    pages = options["demo_pages"]
    if pages == DEFAULT_DEMO_PAGES:  # not chosen: a small shop, twelve audits in a minute
        pages = HISTORY_PAGES
    extra = crawl_settings(options)
    out_dir = Path(options["out_dir"])

    def request(url: str, social: dict[str, str], signals: dict[str, str]) -> Any:
        return crawl_request(options, url, social, signals, extra)

    try:
        runs = run_history(
            request,
            out_dir,
            months=months,
            pages=pages,
            notify=lambda line: click.echo(line, err=True),
        )
    except HistoryError as exc:
        fail(str(exc), EXIT_ENV)
    echo_summary(Path(options["db_path"]), runs[-1].run_id, out_dir)
    sys.exit(STATUS_EXIT.get(runs[-1].status, EXIT_FAILED))
