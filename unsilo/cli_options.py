"""The options the ``unsilo`` commands share, and how a config file fills them in.

Exit codes mean something, so cron and scripts can act on them: ``EXIT_*`` below, listed
in ``unsilo.cli``'s docstring.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL, EXIT_ENV = 0, 1, 2, 3, 4
DEFAULT_DEMO_PAGES = 300
STATUS_EXIT = {"complete": EXIT_OK, "partial": EXIT_PARTIAL, "failed": EXIT_FAILED}


def fail(message: str, code: int) -> None:
    """Print a one-line error (no traceback) and exit with ``code``."""
    click.echo(f"unsilo: error: {message}", err=True)
    sys.exit(code)


def parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    """``-s NAME=VALUE`` pairs as a dict, like ``scrapy crawl -s``."""
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        settings[name.strip()] = value
    return settings


def expand_globs(sources: tuple[Path, ...]) -> list[Path]:
    """Quoted globs (``'feeds/*'``) expanded here, as a shell would; others kept as given."""
    import glob

    paths: list[Path] = []
    for source in sources:
        text = str(source)
        matches = sorted(glob.glob(text)) if glob.has_magic(text) else []
        paths.extend(Path(m) for m in matches) if matches else paths.append(source)
    return paths


db_option = click.option(
    "--db",
    "db_path",
    default="unsilo.duckdb",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The DuckDB file every run is kept in.",
)


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The shop's TOML config file (example: docs/shop.toml); options given win over it.",
)


def apply_config(options: dict[str, Any], file_only: tuple[str, ...] = ()) -> Path | None:
    """Fill ``options`` from ``--config``, except those given on the command line.

    An option the user typed wins over the file; one left at its default gets the file's
    value. ``file_only`` names settings with no option of this command (kept as given).
    A mistake in the file exits with its one-line error (file, line, key) and code 2.
    """
    from unsilo.config import ConfigError, load_config

    path = options.pop("config_path", None)
    if path is None:
        return None
    try:
        config = load_config(path)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    ctx = click.get_current_context()
    for name, value in config.values().items():
        typed = name in options and ctx.get_parameter_source(name) is not ParameterSource.DEFAULT
        if (name in options and not typed) or name in file_only:
            options[name] = value
    return path


CRAWL_SETTINGS = {
    "robots_user_agent": "ROBOTSTXT_USER_AGENT",
    "trap_repeats": "UNSILO_TRAP_REPEATS",
}
"""Crawl options that are plain Scrapy settings: option (and config key) → setting."""


def option_settings(options: dict[str, Any]) -> dict[str, Any]:
    """The Scrapy settings ``CRAWL_SETTINGS`` options give (an ``-s`` of the same name wins).

    >>> option_settings({"robots_user_agent": "Googlebot", "trap_repeats": None})
    {'ROBOTSTXT_USER_AGENT': 'Googlebot'}
    """
    return {
        setting: options[name]
        for name, setting in CRAWL_SETTINGS.items()
        if options.get(name) not in (None, "")
    }


def _languages() -> list[str]:
    from unsilo.languages import report_languages

    return list(report_languages())


lang_option = click.option(
    "--lang",
    "language",
    type=click.Choice(_languages()),
    help="The report's language (default: [output] language, else the run's, else en).",
)

quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="No progress; only the end summary."
)


out_option = click.option(
    "--out",
    "out_dir",
    default="unsilo-report",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for report.html, the archive of run reports and index.html.",
)


def crawl_options(func: Any) -> Any:
    """Options shared by ``audit`` and ``crawl``."""
    options = [
        click.argument("url", required=False),
        click.option(
            "--demo",
            is_flag=True,
            help="Serve the bundled demo shop and audit it (with --config: instead of its URL).",
        ),
        click.option(
            "--demo-pages",
            default=DEFAULT_DEMO_PAGES,
            show_default=True,
            type=click.IntRange(30, 100_000),
        ),
        config_option,
        click.option("--max-pages", type=click.IntRange(min=1), help="Stop after this many URLs."),
        click.option("--max-depth", type=click.IntRange(min=0), help="Do not follow links deeper."),
        click.option(
            "--sitemaps/--no-sitemaps",
            default=True,
            show_default=True,
            help="Read the sitemaps in robots.txt.",
        ),
        click.option(
            "--social/--no-social",
            default=True,
            show_default=True,
            help="Crawl the social profiles.",
        ),
        click.option(
            "--signals/--no-signals",
            "collect_signals",
            default=True,
            show_default=True,
            help="Ask public sources who shared or discussed the shop's pages.",
        ),
        click.option(
            "--include",
            multiple=True,
            metavar="REGEX",
            help="Follow only URLs this matches (searched in the URL; repeatable).",
        ),
        click.option(
            "--exclude", multiple=True, metavar="REGEX", help="Never follow URLs this matches."
        ),
        click.option(
            "--drop-query",
            multiple=True,
            metavar="NAME",
            help="A query parameter to drop from every URL (`*` = any run; repeatable).",
        ),
        click.option(
            "--robots-user-agent",
            metavar="NAME",
            help="Obey robots.txt as this user agent's rules (e.g. Googlebot; default unsilo).",
        ),
        click.option(
            "--trap-repeats",
            type=click.IntRange(min=0),
            help="Pages without new content that make a URL pattern a trap (0: off; 50).",
        ),
        click.option(
            "--concurrency", type=click.IntRange(min=1), help="Parallel requests to the shop."
        ),
        click.option(
            "--delay", type=click.FloatRange(min=0), help="Seconds between requests, at least."
        ),
        click.option(
            "--resume",
            is_flag=True,
            help="Continue the last interrupted run of this URL (its stored pages are kept).",
        ),
        click.option(
            "--profile",
            "profiles",
            multiple=True,
            metavar="URL",
            help="A social profile of the shop (repeatable); wins over discovered ones.",
        ),
        click.option(
            "--exclude-profile",
            "exclude_profiles",
            multiple=True,
            metavar="URL",
            help="A discovered profile to leave out (URL or platform:handle; repeatable).",
        ),
        click.option(
            "--wait-lock",
            default=0.0,
            type=click.FloatRange(min=0),
            help="Seconds to wait for another run on the same database.",
        ),
        click.option(
            "-s",
            "--set",
            "scrapy_settings",
            multiple=True,
            metavar="NAME=VALUE",
            help="A Scrapy setting, as with `scrapy crawl -s`.",
        ),
        click.option(
            "-o",
            "--output",
            multiple=True,
            metavar="FILE",
            help="Also write one record per page to FILE, appending (.jsonl .json .csv .xml"
            " .marshal .pickle; as scrapy crawl -o).",
        ),
        click.option(
            "-O",
            "--overwrite-output",
            multiple=True,
            metavar="FILE",
            help="As -o, overwriting FILE.",
        ),
        lang_option,
        quiet_option,
        click.option("-v", "--verbose", is_flag=True, help="Scrapy's INFO log, with tracebacks."),
        db_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func
