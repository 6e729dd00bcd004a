"""The ``unsilo`` command: audit a shop in one go, or run the steps one by one.

Exit codes mean something, so cron and scripts can act on them:

* 0 — the run is complete (the report may still list many problems);
* 1 — the run failed: the shop could not be seen (unreachable, blocked, not HTML);
* 2 — bad usage (a malformed URL, an unknown option, a mistake in the config file);
* 3 — the run is partial (interrupted); what was fetched is kept and reported;
* 4 — the environment is wrong: database not writable or locked, output not writable.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from unsilo import __version__
from unsilo.cli_options import (
    EXIT_ENV,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    STATUS_EXIT,
    apply_config,
    config_option,
    crawl_options,
    crawl_settings,
    db_option,
    fail,
    out_option,
    parse_settings,
)

# the exit codes are part of the command's interface, so they are importable from here
__all__ = ["EXIT_ENV", "EXIT_FAILED", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "main"]

FILE_ONLY = (
    "signals",
    "language",
    "social_window_days",
    "social_max_posts",
    "signal_max_age_days",
    "signal_url_budget",
    "lemmy_instances",
    "wikipedia_languages",
)
"""Config-file settings that no command-line option overrides."""


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


Endpoints = dict[str, str] | None


@contextlib.contextmanager
def shop_url(
    url: str | None, demo: bool, demo_pages: int, db_path: Path
) -> Iterator[tuple[str, Endpoints, Endpoints]]:
    """The URL to crawl and the social and signal API base URLs (None: the real ones).

    With ``--demo``: the demo shop, local fakes of its social profiles' APIs and local fakes
    of the signal sources, served on 127.0.0.1 for as long as the crawl runs.
    """
    from unsilo.urls import is_http_url

    if demo:
        from unsilo.demo.server import DemoServer
        from unsilo.demo.shop import DemoShop
        from unsilo.signals.demo import demo_signal_server
        from unsilo.social.demo import demo_social_server

        shop = DemoShop(pages=demo_pages, seed=7)
        with (
            DemoServer(shop) as server,
            demo_social_server(shop, server.url) as social,
            demo_signal_server(shop, server.url) as sources,
        ):
            click.echo(f"demo shop ({demo_pages} pages) served at {server.url}", err=True)
            click.echo(f"its social profiles' APIs (local fakes) at {social.url}", err=True)
            click.echo(f"the signal sources (local fakes) at {sources.url}", err=True)
            yield server.url, {"local": social.url}, {"local": sources.url}
        return
    if not url:
        fail("give a shop URL (e.g. unsilo audit https://shop.example) or --demo", EXIT_USAGE)
    if not is_http_url(url):
        message = f"not an http(s) URL: {url!r} (e.g. https://shop.example)"
        _record_failure(db_path, url, message)
        fail(message, EXIT_USAGE)
    yield url.strip(), None, None


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _signal_options(options: dict[str, Any]) -> dict[str, Any]:
    """Per-source settings of the signals spider from the config file's [signals] keys."""
    found: dict[str, Any] = {}
    if options.get("lemmy_instances"):
        found["lemmy"] = {"instances": list(options["lemmy_instances"])}
    if options.get("wikipedia_languages"):
        found["wikipedia"] = {"languages": list(options["wikipedia_languages"])}
    return found


def _record_failure(db_path: Path, url: str, message: str) -> None:
    from unsilo.workflow import record_failed_run

    if run_id := record_failed_run(db_path, url, message):
        click.echo(f"run {run_id}: failed ({message})", err=True)


@main.command()
@crawl_options
@out_option
def audit(**options: Any) -> None:
    """Crawl a shop, store the run, analyse it and write the HTML report.

    With --config, the file gives every setting an option is not given for, plus two
    that are recorded on the run but take effect only once those features land: the
    signal sources ([signals] sources) and the report language ([output] language).

    \b
    Example:
        unsilo audit https://shop.example --max-pages 5000 --out audits/shop
        unsilo audit --config shops/shop-a.toml --max-pages 100
    """
    from unsilo.workflow import check_writable_dir

    options["config_path"] = apply_config(options, file_only=FILE_ONLY)
    out_dir = Path(options["out_dir"])
    if problem := check_writable_dir(out_dir):
        _record_failure(Path(options["db_path"]), options["url"] or "(demo)", problem)
        fail(problem, EXIT_ENV)
    status, run_id = _crawl(options)
    report = _report(Path(options["db_path"]), run_id, out_dir)
    click.echo(f"report: {report}")
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
    status, _run_id = _crawl(options)
    sys.exit(STATUS_EXIT.get(status, EXIT_FAILED))


def _crawl(options: dict[str, Any]) -> tuple[str, str]:
    from unsilo.urls import UrlScope, check_param_names
    from unsilo.workflow import CrawlRequest, WorkflowError, crawl_and_record

    try:
        extra = crawl_settings(options) | parse_settings(options["scrapy_settings"])
    except click.BadParameter as exc:
        fail(exc.format_message(), EXIT_USAGE)
    try:  # a file's patterns are checked when it is read; these are the command line's
        UrlScope.of(options["include"], options["exclude"])
        check_param_names(options["drop_query"])
    except ValueError as exc:
        fail(f"--include/--exclude/--drop-query: {exc}", EXIT_USAGE)
    db_path = Path(options["db_path"])
    demo = options["demo"]
    if demo:  # the demo's signal sources are local fakes: no politeness delay needed
        from unsilo.signals.demo import demo_signal_slots

        extra.setdefault("DOWNLOAD_SLOTS", demo_signal_slots())
    place = shop_url(options["url"], demo, options["demo_pages"], db_path)
    with place as (url, endpoints, signal_endpoints):
        request = CrawlRequest(
            url=url,
            db_path=db_path,
            max_pages=options["max_pages"],
            max_depth=options["max_depth"],
            sitemaps=options["sitemaps"],
            throttle=not demo,
            wait_lock=options["wait_lock"],
            quiet=options["quiet"],
            verbose=options["verbose"],
            extra_settings=extra,
            social=options["social"],
            profiles=list(options["profiles"]),
            exclude_profiles=list(options["exclude_profiles"]),
            social_endpoints=endpoints,
            resume=options["resume"],
            include=list(options["include"]),
            exclude=list(options["exclude"]),
            drop_query=list(options["drop_query"]),
            concurrency=options["concurrency"],
            delay=options["delay"],
            social_window_days=options.get("social_window_days"),
            social_max_posts=options.get("social_max_posts"),
            collect_signals=options["collect_signals"],
            signals=list(options.get("signals") or []),
            signal_endpoints=signal_endpoints,
            signal_max_age_days=_or(options.get("signal_max_age_days"), 7),
            signal_url_budget=options.get("signal_url_budget"),
            signal_options=_signal_options(options),
            language=options.get("language") or "en",
            out_dir=options.get("out_dir"),
            config_path=options["config_path"],
        )
        try:
            run = crawl_and_record(request, notify=lambda line: click.echo(line, err=True))
        except WorkflowError as exc:
            fail(str(exc), EXIT_ENV)
    line = f"run {run.run_id}{' (resumed)' if run.resumed else ''}: {run.status}"
    if run.reason:
        line += f" ({run.reason})"
    click.echo(line, err=True)
    return run.status, run.run_id


def _report(db_path: Path, run_id: str | None, out_dir: Path) -> Path:
    from unsilo.workflow import WorkflowError, analyse_and_render

    try:
        return analyse_and_render(db_path, run_id, out_dir)
    except WorkflowError as exc:
        fail(str(exc), EXIT_ENV)
        raise  # unreachable; keeps type checkers calm


@main.command()
@db_option
@config_option
@click.option("--run", "run_id", help="Run id (default: the latest complete or partial run).")
@out_option
def report(**options: Any) -> None:
    """Analyse a stored run and write its HTML report.

    \b
    Example:
        unsilo report --db shop.duckdb --out audits/shop
        unsilo report --config shops/shop-a.toml
    """
    apply_config(options)
    click.echo(f"report: {_report(options['db_path'], options['run_id'], options['out_dir'])}")


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
    paths = _expand(options["sources"])
    try:
        loaded = load_sources(db_path, paths, start_url=start_url, stats_file=stats_file)
    except WorkflowError as exc:
        fail(str(exc), EXIT_ENV if "lock" in str(exc) else EXIT_FAILED)
    for run in loaded:
        if run.skipped:
            click.echo(f"run {run.run_id}: already in {db_path}; skipped {run.source}")
            continue
        rows = ", ".join(f"{n} {t}" for t, n in run.counts.items() if n)
        reason = f" ({run.reason})" if run.reason else ""
        click.echo(f"run {run.run_id}: {run.status}{reason}; loaded {rows} from {run.source}")
    statuses = {run.status for run in loaded if not run.skipped}
    worst = next((s for s in ("failed", "partial") if s in statuses), "complete")
    sys.exit(STATUS_EXIT[worst])


def _expand(sources: tuple[Path, ...]) -> list[Path]:
    """Quoted globs (``'feeds/*'``) expanded here, as a shell would; others kept as given."""
    import glob

    paths: list[Path] = []
    for source in sources:
        text = str(source)
        matches = sorted(glob.glob(text)) if glob.has_magic(text) else []
        paths.extend(Path(m) for m in matches) if matches else paths.append(source)
    return paths


@main.command()
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
    from unsilo.workflow import CrawlRequest, WorkflowError, collect_signals

    apply_config(options, file_only=FILE_ONLY)
    request = CrawlRequest(
        url="",
        db_path=Path(options["db_path"]),
        quiet=options["quiet"],
        signals=list(options["sources"] or options.get("signals") or []),
        signal_max_age_days=_or(options.get("signal_max_age_days"), 7),
        signal_url_budget=options.get("signal_url_budget"),
        signal_options=_signal_options(options),
        signal_endpoints=json.loads(options["signal_endpoints"] or "null"),
    )
    try:
        run_id, sources = collect_signals(request, options["run_id"])
    except (WorkflowError, KeyError, ValueError) as exc:
        fail(str(exc).strip("'\""), EXIT_ENV)
    click.echo(f"signals of run {run_id}:")
    for source, status, found, reason in sources:
        click.echo(
            f"  {source:<15} {status:<19} {found or 0:>5} found"
            + (f"  ({reason})" if reason else "")
        )


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
    if not rows:
        click.echo("no runs yet")
        return
    click.echo(f"{'run id':<28} {'status':<9} {'pages':>7} {'html':>7} {'errors':>7}  url / reason")
    for r in rows:
        tail = r["start_url"] + (f"  [{r['reason']}]" if r.get("reason") else "")
        click.echo(
            f"{r['run_id']:<28} {r['status']:<9} {r['pages'] or 0:>7} {r['html_pages'] or 0:>7} "
            f"{r['errors'] or 0:>7}  {tail}"
        )


@main.command()
@click.option("--pages", default=300, show_default=True, type=click.IntRange(30, 100_000))
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--robots",
    type=click.Choice(["polite", "disallow-all"]),
    default="polite",
    show_default=True,
)
def demo(pages: int, seed: int, host: str, port: int, robots: str) -> None:
    """Serve the bundled demo shop until Ctrl-C (prints its URL first).

    \b
    Example:
        unsilo demo --pages 10000 --port 8800
    """
    from unsilo.demo.server import serve_forever
    from unsilo.demo.shop import DemoShop

    serve_forever(DemoShop(pages=pages, seed=seed), host, port, robots=robots)


if __name__ == "__main__":  # pragma: no cover
    main()
