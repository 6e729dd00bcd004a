"""The ``unsilo`` command: audit a shop in one go, or run the steps one by one.

Exit codes mean something, so cron and scripts can act on them:

* 0 — the run is complete (the report may still list many problems);
* 1 — the run failed: the shop could not be seen (unreachable, blocked, not HTML);
* 2 — bad usage (a malformed URL, an unknown option, a mistake in the config file);
* 3 — the run is partial (interrupted); what was fetched is kept and reported;
* 4 — the environment is wrong: database not writable or locked, output not writable.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from unsilo import __version__
from unsilo.cli_history import DEMO_HISTORY_OPTION, HISTORY_OPTION, audit_history
from unsilo.cli_options import (
    DEFAULT_DEMO_PAGES,
    EXIT_ENV,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    STATUS_EXIT,
    apply_config,
    config_option,
    crawl_options,
    db_option,
    expand_globs,
    fail,
    lang_option,
    out_option,
    quiet_option,
)
from unsilo.cli_output import (
    echo_crawled,
    echo_loaded,
    echo_runs,
    echo_summary,
    record_failure,
)
from unsilo.cli_prune import prune
from unsilo.cli_requests import FILE_ONLY, crawl_request, crawl_settings
from unsilo.cli_shop import shop_url
from unsilo.cli_signals import signals
from unsilo.progress import Progress, progress_for

# the exit codes are part of the command's interface, so they are importable from here
__all__ = ["EXIT_ENV", "EXIT_FAILED", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unsilo")
def main() -> None:
    """unsilo: find the webshop pages that nothing connects to social media.

    Settings come from options, or from one TOML file per shop (--config); the
    environment carries only tokens (UNSILO_BLUESKY_APP_PASSWORD, UNSILO_YOUTUBE_API_KEY,
    UNSILO_REDDIT_TOKEN).

    \b
    Example:
        unsilo audit --demo
        unsilo audit https://shop.example --max-pages 2000
        unsilo audit --config shops/shop-a.toml
    """
    from unsilo.config import ignored_environment

    for line in ignored_environment():
        click.echo(f"unsilo: warning: {line}", err=True)


@main.command()
@crawl_options
@HISTORY_OPTION
@out_option
def audit(**options: Any) -> None:
    """Crawl a shop, store the run, analyse it and write the HTML report.

    With --config, the file gives every setting an option is not given for, including
    the signal sources ([signals] sources) and the report language ([output] language,
    or --lang: en, or da, or any language with a catalogue in unsilo/locale/).

    \b
    Example:
        unsilo audit https://shop.example --max-pages 5000 --out audits/shop
        unsilo audit --config shops/shop-a.toml --max-pages 100
        unsilo audit --demo --history 12
    """
    from unsilo.workflow import check_writable_dir

    history = options.pop("history")
    options["config_path"] = apply_config(options, file_only=FILE_ONLY)
    out_dir = Path(options["out_dir"])
    if problem := check_writable_dir(out_dir):
        record_failure(Path(options["db_path"]), options["url"] or "(demo)", problem)
        fail(problem, EXIT_ENV)
    if history:
        audit_history(options, history)
    progress = progress_for(options["quiet"], options["verbose"])
    status, run_id = _crawl(options, progress)
    _report(
        Path(options["db_path"]), run_id, out_dir, progress=progress, language=options["language"]
    )
    progress.close()
    echo_summary(Path(options["db_path"]), run_id, out_dir)
    sys.exit(STATUS_EXIT.get(status, EXIT_FAILED))


@main.command()
@crawl_options
def crawl(**options: Any) -> None:
    """Crawl a shop and store the run in the database, without a report.

    \b
    Example:
        unsilo crawl https://shop.example --db shop.duckdb && unsilo report --db shop.duckdb
        unsilo crawl --config shops/shop-a.toml
    """
    options["config_path"] = apply_config(options, file_only=FILE_ONLY)
    progress = progress_for(options["quiet"], options["verbose"])
    status, run_id = _crawl(options, progress)
    progress.close()
    echo_summary(Path(options["db_path"]), run_id, None)
    sys.exit(STATUS_EXIT.get(status, EXIT_FAILED))


def _crawl(options: dict[str, Any], progress: Progress) -> tuple[str, str]:
    from unsilo.workflow import WorkflowError, crawl_and_record

    extra = crawl_settings(options)
    db_path = Path(options["db_path"])
    place = shop_url(options["url"], options["demo"], options["demo_pages"], db_path)
    with place as (url, endpoints, signal_endpoints):
        request = crawl_request(options, url, endpoints, signal_endpoints, extra)
        try:
            run = crawl_and_record(request, notify=progress.note, progress=progress)
        except WorkflowError as exc:
            progress.close()
            fail(str(exc), EXIT_ENV)
    echo_crawled(run, progress)
    return run.status, run.run_id


def _report(
    db_path: Path,
    run_id: str | None,
    out_dir: Path,
    compare: str | None = None,
    progress: Progress | None = None,
    language: str | None = None,
) -> Path:
    from unsilo.report_run import analyse_and_render
    from unsilo.workflow import WorkflowError

    try:
        return analyse_and_render(db_path, run_id, out_dir, compare, progress, language)
    except WorkflowError as exc:
        if progress is not None:
            progress.close()
        fail(str(exc), EXIT_ENV)
        raise  # unreachable; keeps type checkers calm


@main.command()
@db_option
@config_option
@click.option("--run", "run_id", help="Run id (default: the latest complete or partial run).")
@click.option("--compare", help="Run id to compare with (default: the previous comparable run).")
@out_option
@lang_option
@quiet_option
def report(**options: Any) -> None:
    """Analyse a stored run and write its HTML report.

    Runs without pages and failed runs are skipped by default. The report compares with
    the previous analysed run of the same site and scope, and says so when it is not
    like for like (README: "Runs over time"). It is in the language the run was audited
    with, unless --lang (or [output] language) says otherwise.

    \b
    Example:
        unsilo report --db shop.duckdb --out audits/shop
        unsilo report --config shops/shop-a.toml --compare 2026-10-01T020000Z-ab12cd
        unsilo report --db shop.duckdb --lang da
    """
    apply_config(options)
    progress = progress_for(quiet=options["quiet"], verbose=False)
    db_path, out_dir = options["db_path"], options["out_dir"]
    _report(db_path, options["run_id"], out_dir, options["compare"], progress, options["language"])
    progress.close()
    echo_summary(db_path, options["run_id"], out_dir)


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--url", "start_url", help="The shop URL an items file was crawled from.")
@click.option(
    "--stats",
    "stats_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The crawl's stats (-s UNSILO_STATS_FILE=…) for an items file.",
)
@db_option
@config_option
def load(**options: Any) -> None:
    """Bring crawls made elsewhere in: feed job folders or `-o items.jsonl` files.

    A Scrapyd job or a plain `scrapy crawl shop` writes a job folder under
    `unsilo-feeds/` (or `-s UNSILO_FEED_DIR=…`); give that folder, one job of it, or
    several. Each job becomes the run it recorded, judged from the job's own stats
    (a cancelled or capped job is partial). Then `unsilo report` renders it.

    \b
    Example:
        unsilo load unsilo-feeds/ --db shop.duckdb
        unsilo load 'unsilo-feeds/2026-11-*' --db shop.duckdb
        unsilo load items.jsonl --url https://shop.example --stats stats.json
    """
    from unsilo.workflow import WorkflowError, load_sources

    apply_config(options)
    db_path, start_url, stats_file = options["db_path"], options["start_url"], options["stats_file"]
    paths = expand_globs(options["sources"])
    try:
        loaded = load_sources(db_path, paths, start_url=start_url, stats_file=stats_file)
    except WorkflowError as exc:
        fail(str(exc), EXIT_ENV if "lock" in str(exc) else EXIT_FAILED)
    echo_loaded(loaded, db_path)
    statuses = {run.status for run in loaded if not run.skipped}
    worst = next((s for s in ("failed", "partial") if s in statuses), "complete")
    sys.exit(STATUS_EXIT[worst])


@main.command()
@db_option
@config_option
def runs(**options: Any) -> None:
    """List the runs in the database, newest first, with status and counts.

    \b
    Example:
        unsilo runs --db shop.duckdb
        unsilo runs --config shops/shop-a.toml
    """
    from unsilo.workflow import WorkflowError, list_stored_runs

    apply_config(options)
    db_path = options["db_path"]
    try:
        rows = list_stored_runs(db_path)
    except WorkflowError as exc:
        fail(str(exc), EXIT_ENV)
    echo_runs(rows)


@main.command()
@click.option(
    "--pages", default=DEFAULT_DEMO_PAGES, show_default=True, type=click.IntRange(30, 100_000)
)
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--robots",
    type=click.Choice(["polite", "disallow-all"]),
    default="polite",
    show_default=True,
)
@DEMO_HISTORY_OPTION
@click.pass_context
def demo(
    ctx: click.Context, pages: int, seed: int, host: str, port: int, robots: str, history: int
) -> None:
    """Serve the bundled demo shop until Ctrl-C (prints its URL first).

    With --history N it serves nothing: it is `unsilo audit --demo --history N` (N monthly
    runs into unsilo.duckdb, the report in unsilo-report/; --pages sets month 0's size).

    \b
    Example:
        unsilo demo --pages 10000 --port 8800
        unsilo demo --history 12
    """
    if history:
        ctx.invoke(audit, demo=True, history=history, demo_pages=pages)
        return
    from unsilo.demo.server import serve_forever
    from unsilo.demo.shop import DemoShop

    serve_forever(DemoShop(pages=pages, seed=seed), host, port, robots=robots)


main.add_command(prune)
main.add_command(signals)

if __name__ == "__main__":  # pragma: no cover
    main()
