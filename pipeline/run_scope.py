"""A run's recorded scope: what the crawl was asked to do, kept in the run's ``settings``.

``crawl_scope`` builds it from the crawl's effective Scrapy settings (one builder for every
entry point, so runs of the same shop compare), ``public_settings`` drops whatever looks
secret before it is stored, and ``stored_scope`` reads it back for the judge
(``pipeline/runs.py``: which limit stopped a crawl, which spider ran) and for a stale run's
job folder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import duckdb

from unsilo.urls import setting_list

SECRET_WORDS = ("token", "secret", "password", "passwd", "key", "auth", "credential", "cookie")


def public_settings(settings: Mapping[str, object]) -> dict[str, object]:
    """``settings`` without any key that looks secret, at any depth.

    A key is dropped when its lower-cased name contains one of ``SECRET_WORDS`` (token,
    secret, password, passwd, key, auth, credential, cookie). This is deliberately greedy:
    losing a harmless ``sort_key`` from the record costs nothing, storing an API key does.
    """
    clean: dict[str, object] = {}
    for name, value in settings.items():
        if any(word in str(name).lower() for word in SECRET_WORDS):
            continue
        clean[str(name)] = public_settings(value) if isinstance(value, Mapping) else value
    return clean


def crawl_scope(settings: Any, *, spider: str, start_url: str, sitemaps: bool) -> dict[str, Any]:
    """What a crawl was asked to do, from its effective Scrapy ``settings``: kept with the run.

    One builder for every entry point, so two runs of the same shop with the same limits
    record the same scope however they were started (and can be compared).
    """
    return {
        "spider": spider,
        "start_url": start_url,
        "sitemaps": sitemaps,
        "max_pages": settings.getint("CLOSESPIDER_PAGECOUNT") or None,
        "max_depth": settings.getint("DEPTH_LIMIT") or None,
        "time_limit_s": settings.getfloat("CLOSESPIDER_TIMEOUT") or None,
        "user_agent": settings.get("USER_AGENT"),
        "robots_txt_obeyed": settings.getbool("ROBOTSTXT_OBEY"),
        "robots_user_agent": settings.get("ROBOTSTXT_USER_AGENT") or None,
        "trap_repeats": settings.getint("UNSILO_TRAP_REPEATS") or None,
        "autothrottle": settings.getbool("AUTOTHROTTLE_ENABLED"),
        "concurrent_requests": settings.getint("CONCURRENT_REQUESTS"),
        "concurrent_requests_per_domain": settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
        "download_delay": settings.getfloat("DOWNLOAD_DELAY"),
        "include": setting_list(settings.get("UNSILO_INCLUDE")),
        "exclude": setting_list(settings.get("UNSILO_EXCLUDE")),
        "drop_query": setting_list(settings.get("UNSILO_DROP_QUERY")),
        "job_dir": settings.get("UNSILO_JOBDIR") or settings.get("JOBDIR") or None,
        "feed_dir": settings.get("UNSILO_FEED_DIR") or None,
    }


def stored_scope(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """The scope recorded with ``run_id``; empty when the run is unknown or recorded none."""
    row = con.execute("select settings from runs where run_id = $r", {"r": run_id}).fetchone()
    scope = json.loads(row[0]) if row and row[0] else {}
    return scope if isinstance(scope, dict) else {}
