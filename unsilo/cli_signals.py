"""``unsilo signals``: the audit's signals step alone, for a stored run (the work is
``unsilo.follow_ups.collect_signals``)."""

from __future__ import annotations

from typing import Any

import click

from unsilo.cli_options import EXIT_ENV, apply_config, config_option, db_option, fail
from unsilo.cli_output import echo_signal_sources
from unsilo.cli_requests import FILE_ONLY, signals_request


@click.command()
@db_option
@config_option
@click.option("--run", "run_id", help="The run to ask about (default: the latest crawled run).")
@click.option(
    "--source",
    "sources",
    multiple=True,
    help="A source to ask (repeatable; default: the config file's or the defaults).",
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.option("--signal-endpoints", hidden=True, help="JSON base URLs of the sources (tests).")
def signals(**options: Any) -> None:
    """Ask who shared or discussed a stored run's pages (the audit's signals step alone).

    The run's earlier signals are replaced; answers fresher than [signals] max_age_days from
    other runs of the site are reused. Tokens come from the environment only (README).
    Then `unsilo report` shows them.

    \b
    Example:
        unsilo signals --db shop.duckdb && unsilo report --db shop.duckdb
    """
    from unsilo.follow_ups import collect_signals
    from unsilo.workflow import WorkflowError

    apply_config(options, file_only=FILE_ONLY)
    request = signals_request(options)
    try:
        run_id, sources = collect_signals(request, options["run_id"])
    except (WorkflowError, KeyError, ValueError) as exc:
        fail(str(exc).strip("'\""), EXIT_ENV)
    echo_signal_sources(run_id, sources)
