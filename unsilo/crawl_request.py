"""What one crawl is asked to do (``CrawlRequest``), and what that means in Scrapy settings
and in the run row's record of its settings.

The CLI fills a request from options and the config file; ``unsilo.workflow`` runs it. The
arguments of the spiders that follow the shop crawl are read from the stored run, so they
live in ``unsilo.follow_ups``; the request only hands itself over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unsilo import settings as defaults
from unsilo.crawl import project_settings
from unsilo.pipeline.run_scope import crawl_scope


@dataclass
class CrawlRequest:
    """Everything one crawl is asked, from the command line and the config file."""

    url: str
    db_path: Path
    max_pages: int | None = None
    max_depth: int | None = None
    sitemaps: bool = True
    throttle: bool = True
    wait_lock: float = 0.0
    quiet: bool = False
    verbose: bool = False
    extra_settings: dict[str, Any] = field(default_factory=dict)
    social: bool = True  # also crawl the shop's public social profiles
    profiles: list[str] = field(default_factory=list)  # configured profile URLs (win)
    exclude_profiles: list[str] = field(default_factory=list)
    social_endpoints: dict[str, Any] | None = None  # base URLs (the demo's local fakes)
    resume: bool = False  # continue the last interrupted run of this URL, if there is one
    include: list[str] = field(default_factory=list)  # URL patterns to follow (empty: all)
    exclude: list[str] = field(default_factory=list)  # URL patterns never to follow
    drop_query: list[str] = field(default_factory=list)  # query parameters to drop
    concurrency: int | None = None  # parallel requests to the shop (None: settings.py's)
    delay: float | None = None  # seconds between requests to the shop, at least
    social_window_days: int | None = None  # days of posts read per profile (None: 90)
    social_max_posts: int | None = None  # posts read per profile, at most (None: 200)
    collect_signals: bool = True  # also ask who shared the shop's pages (the signals step)
    signals: list[str] = field(default_factory=list)  # sources to ask (empty: the defaults)
    signal_endpoints: dict[str, Any] | None = None  # base URLs (the demo's local fakes)
    signal_max_age_days: int = 7  # answers fetched more recently are reused, not asked again
    signal_url_budget: int | None = None  # pages a per-URL source asks about (None: 200)
    signal_options: dict[str, Any] = field(default_factory=dict)  # per source, e.g. lemmy
    language: str = "en"  # the report's (--lang); recorded, so `unsilo report` keeps it
    out_dir: Path | None = None  # the report folder of `unsilo audit`, recorded on the run
    config_path: Path | None = None  # the config file the settings came from

    def social_args(self, run_id: str) -> dict[str, Any] | None:
        """Arguments of the ``social`` spider once the shop crawl of ``run_id`` is stored
        (``unsilo.follow_ups.social_args``); None when there is nothing to audit."""
        from unsilo.follow_ups import social_args

        return social_args(self, run_id)

    def signals_args(self, run_id: str) -> dict[str, Any] | None:
        """Arguments of the ``signals`` spider once the shop crawl (and the profiles) of
        ``run_id`` are stored (``unsilo.follow_ups.signals_args``); None when switched off."""
        from unsilo.follow_ups import signals_args

        return signals_args(self, run_id)

    def scrapy_settings(self, run_id: str, *, resume: bool = False) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "UNSILO_DB": str(self.db_path),
            "UNSILO_RUN_ID": run_id,
            "UNSILO_RESUME": resume,
            "AUTOTHROTTLE_ENABLED": self.throttle,
            "LOG_LEVEL": "INFO" if self.verbose else "WARNING",
        }
        if self.max_pages:
            settings["CLOSESPIDER_PAGECOUNT"] = self.max_pages
        if self.max_depth is not None:
            settings["DEPTH_LIMIT"] = self.max_depth
        if self.concurrency is not None:
            settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = self.concurrency
        if self.delay is not None:
            settings["DOWNLOAD_DELAY"] = self.delay  # AutoThrottle never goes below it
        if self.social_window_days is not None:
            settings["UNSILO_SOCIAL_WINDOW_DAYS"] = self.social_window_days
        if self.social_max_posts is not None:
            settings["UNSILO_SOCIAL_MAX_POSTS"] = self.social_max_posts
        if self.signal_url_budget is not None:
            settings["UNSILO_SIGNALS_URL_BUDGET"] = self.signal_url_budget
        for name, values in (
            ("UNSILO_INCLUDE", self.include),
            ("UNSILO_EXCLUDE", self.exclude),
            ("UNSILO_DROP_QUERY", self.drop_query),
        ):
            if values:
                settings[name] = list(values)
        settings.update(self.extra_settings)
        return settings

    def run_options(self) -> dict[str, Any]:
        """What the run was asked beyond the crawl's Scrapy settings, for its run row."""
        return {
            "config_file": str(self.config_path) if self.config_path else None,
            "database": str(self.db_path),
            "report_folder": str(self.out_dir) if self.out_dir else None,
            "social": self.social,
            "profiles": list(self.profiles),
            "exclude_profiles": list(self.exclude_profiles),
            "social_window_days": self.social_window_days or defaults.UNSILO_SOCIAL_WINDOW_DAYS,
            "social_max_posts": self.social_max_posts or defaults.UNSILO_SOCIAL_MAX_POSTS,
            "signals": self.collect_signals,
            "signal_sources": list(self.signals),
            "signal_max_age_days": self.signal_max_age_days,
            "signal_url_budget": self.signal_url_budget or defaults.UNSILO_SIGNALS_URL_BUDGET,
            "signal_options": dict(self.signal_options),
            "report_language": self.language,
            "scrapy_settings": dict(self.extra_settings),
        }


def recorded_scope(request: CrawlRequest) -> dict[str, Any]:
    """Every setting the run uses: its crawl scope, built by the same function the storage
    pipeline uses, and the run's own options (``start_run`` drops any secret-looking name)."""
    effective = project_settings(request.scrapy_settings("-"))
    scope = crawl_scope(effective, spider="shop", start_url=request.url, sitemaps=request.sitemaps)
    return {**scope, **request.run_options()}
