"""From a command's options (command line, then config file) to the workflow's ``CrawlRequest``.

The one place that knows which option becomes which request field and what a setting left
unset defaults to, so ``audit``, ``crawl`` and ``signals`` ask the workflow alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from unsilo.cli_options import EXIT_USAGE, fail, option_settings, parse_settings

if TYPE_CHECKING:  # imported when a command runs: `unsilo --help` does not load Scrapy
    from unsilo.crawl_request import CrawlRequest

FILE_ONLY = (
    "signals",
    "social_window_days",
    "social_max_posts",
    "signal_max_age_days",
    "signal_url_budget",
    "lemmy_instances",
    "wikipedia_languages",
)
"""Config-file settings that no command-line option overrides."""

Endpoints = dict[str, str] | None


def crawl_settings(options: dict[str, Any]) -> dict[str, Any]:
    """The Scrapy settings of the crawl options and ``-s`` (``-s`` wins), once the crawl's
    own options are checked (exit 2 if not)."""
    from unsilo.urls import UrlScope, check_param_names

    try:
        extra = option_settings(options) | parse_settings(options["scrapy_settings"])
    except click.BadParameter as exc:
        fail(exc.format_message(), EXIT_USAGE)
    try:  # a file's patterns are checked when it is read; these are the command line's
        UrlScope.of(options["include"], options["exclude"])
        check_param_names(options["drop_query"])
    except ValueError as exc:
        fail(f"--include/--exclude/--drop-query: {exc}", EXIT_USAGE)
    if options.get("output") or options.get("overwrite_output"):
        from unsilo.feed_export import feeds_setting

        try:
            extra["FEEDS"] = feeds_setting(options["output"], options["overwrite_output"])
        except ValueError as exc:
            fail(f"-o/-O: {exc}", EXIT_USAGE)
    if options["demo"]:  # the demo's signal sources are local fakes: no politeness delay needed
        from unsilo.signals.demo import demo_signal_slots

        extra.setdefault("DOWNLOAD_SLOTS", demo_signal_slots())
    return extra


def crawl_request(
    options: dict[str, Any],
    url: str,
    endpoints: Endpoints,
    signal_endpoints: Endpoints,
    extra: dict[str, Any],
) -> CrawlRequest:
    """What ``audit`` and ``crawl`` ask of the workflow for the shop at ``url``."""
    from unsilo.crawl_request import CrawlRequest

    demo = options["demo"]
    return CrawlRequest(
        url=url,
        db_path=Path(options["db_path"]),
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


def signals_request(options: dict[str, Any]) -> CrawlRequest:
    """What ``unsilo signals`` asks: the signals step alone, its URL read from the stored run."""
    from unsilo.crawl_request import CrawlRequest

    return CrawlRequest(
        url="",
        db_path=Path(options["db_path"]),
        quiet=options["quiet"],
        signals=list(options["sources"] or options.get("signals") or []),
        signal_max_age_days=_or(options.get("signal_max_age_days"), 7),
        signal_url_budget=options.get("signal_url_budget"),
        signal_options=_signal_options(options),
        signal_endpoints=json.loads(options["signal_endpoints"] or "null"),
    )


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
