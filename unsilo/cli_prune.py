"""``unsilo prune``: the retention policy's command (the work is ``unsilo.pipeline.prune``)."""

from __future__ import annotations

from typing import Any

import click

from unsilo.cli_options import EXIT_ENV, EXIT_USAGE, apply_config, config_option, db_option, fail
from unsilo.cli_output import echo_pruned


@click.command()
@db_option
@config_option
@click.option("--keep-monthly", type=click.IntRange(0), default=0, help="Months kept whole.")
@click.option("--keep-latest", type=click.IntRange(0), default=0, help="Newest runs kept whole.")
@click.option("--dry-run", is_flag=True, help="List what would be pruned; change nothing.")
def prune(**options: Any) -> None:
    """Drop the per-page rows of old runs, keeping every run's totals (index, comparisons).

    Kept whole, per site: the newest run of each of the last N months that have runs
    (--keep-monthly) and the M newest runs (--keep-latest); [retention] in the config.

    \b
    Example:
        unsilo prune --db shop.duckdb --keep-monthly 24 --keep-latest 3 --dry-run
    """
    from unsilo.workflow import WorkflowError, prune_database

    apply_config(options)
    keep_monthly, keep_latest = options["keep_monthly"], options["keep_latest"]
    if not keep_monthly and not keep_latest:
        fail("say what to keep whole: --keep-monthly N and/or --keep-latest M", EXIT_USAGE)
    try:
        result = prune_database(
            options["db_path"],
            keep_monthly=keep_monthly,
            keep_latest=keep_latest,
            dry_run=options["dry_run"],
        )
    except WorkflowError as exc:
        fail(str(exc), EXIT_ENV)
    echo_pruned(result, options["dry_run"])
