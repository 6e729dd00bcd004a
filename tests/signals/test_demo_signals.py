"""The demo's signal fakes end to end: ``scrapy crawl signals`` with every default source.

One crawl (module fixture) of a 100-page demo shop; each test reads the DuckDB it left. The
demo must show shares from every working source and an honest status for the rest: a source
down, one rate-limited, the token sources waiting for a token — and ask nothing real.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

from tests.conftest import ROOT
from unsilo.demo import plan as P
from unsilo.demo.expectations import build_expectations
from unsilo.demo.server import DemoServer
from unsilo.demo.shop import DemoShop
from unsilo.signals.demo import demo_shares, demo_signal_server, demo_signal_slots
from unsilo.signals.registry import DEFAULT_SOURCES, SOURCE_MODULES, source_module

DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: a request meant for the internet fails


def _environment() -> dict[str, str]:
    """This environment without any source's token, and with a proxy that goes nowhere for
    everything but 127.0.0.1: a request to a real service would fail, never leave."""
    secrets = {name for source in SOURCE_MODULES for name in source_module(source).SECRETS}
    env = {k: v for k, v in os.environ.items() if k not in secrets}
    env.update(http_proxy=DEAD_PROXY, https_proxy=DEAD_PROXY, no_proxy="127.0.0.1")
    return env


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """``(db, shop, shop_url, fake requests)`` after one signals crawl of the demo."""
    shop = DemoShop(pages=100, seed=7)
    db = tmp_path_factory.mktemp("demo-signals") / "signals.duckdb"
    with DemoServer(shop) as server, demo_signal_server(shop, server.url) as fake:
        base = server.url.rstrip("/")
        args = [
            *("-a", f"site={server.url}"),
            *("-a", f"pages={json.dumps([base + path for path in shop.paths()])}"),
            *("-a", f"endpoints={json.dumps({'local': fake.url})}"),
            *("-s", f"UNSILO_DB={db}", "-s", "RETRY_TIMES=0", "-s", "LOG_LEVEL=INFO"),
            *("-s", f"DOWNLOAD_SLOTS={json.dumps(demo_signal_slots())}"),
        ]
        process = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "signals", *args],
            cwd=ROOT,
            env=_environment(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert process.returncode == 0, process.stderr[-3000:]
        requests = list(fake.requests)
    return db, shop, base, requests


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_default_source_ends_with_the_status_the_demo_presets(demo_run):
    db, *_ = demo_run
    statuses = dict(rows(db, "select source, status from signal_sources"))
    assert statuses == {
        "hackernews": "ok",
        "lemmy": "ok",
        "bluesky": "ok",
        "wikipedia": "partial",  # English down: answered in part
        "wayback": "ok",
        "pinterest": "rate limited",
        "reddit": "needs token",
        "bluesky_search": "needs token",
        "facebook": "needs token",
    }
    assert set(statuses) == set(DEFAULT_SOURCES)


def test_a_language_down_is_a_partial_answer_that_names_it(demo_run):
    db, *_ = demo_run
    checks = rows(
        db, "select scope, status, reason, found from signal_checks where source = 'wikipedia'"
    )
    assert checks == [("domain", "partial", "en: HTTP 503", 2)]


def test_a_language_down_makes_the_source_partial(demo_run):
    db, *_ = demo_run
    assert rows(db, "select status from signal_sources where source = 'wikipedia'") == [
        ("partial",)
    ]


def test_the_failures_say_why(demo_run):
    db, *_ = demo_run
    reasons = dict(rows(db, "select source, reason from signal_sources"))
    assert reasons["pinterest"].startswith("HTTP 429 from Pinterest; retry after 3600 s")
    assert reasons["reddit"].startswith("set ")
    # a stopped source never asked past its refusal: one request, not one per page
    assert rows(db, "select requests from signal_sources where source = 'pinterest'") == [(1,)]


def test_shares_from_the_working_sources_land_on_the_pages_they_name(demo_run):
    db, shop, base, _ = demo_run
    plan = shop.plan
    found = rows(db, "select source, url_key, kind from url_signals where kind <> 'capture'")
    keys = {(source, key) for source, key, _ in found}
    https = "https://" + base.split("://", 1)[1]
    assert (source_key := ("hackernews", https + plan.product_path(0))) in keys, source_key
    assert ("hackernews", base + plan.article_path(0)) in keys  # trailing slash folded
    assert ("hackernews", base + P.REDIRECT_START) in keys
    assert ("hackernews", base + P.REDIRECT_TO_404) in keys
    assert ("lemmy", base + plan.product_path(1)) in keys
    assert ("lemmy", base + plan.product_path(4)) in keys
    assert ("bluesky", base.replace("://", "://www.") + plan.product_path(2)) in keys
    assert ("bluesky", base + plan.product_path(3)) in keys
    assert ("bluesky", base + "/") in keys  # typed without the slash, found on the home page
    assert ("hackernews", base + P.WISHLIST) in keys
    assert ("wikipedia", base + plan.product_path(0)) in keys
    assert ("wikipedia", base + P.BROKEN_TARGETS[1]) in keys
    assert not {s for s, _ in keys} - {"hackernews", "lemmy", "bluesky", "wikipedia"}


def test_a_federated_copy_is_one_share_and_captures_are_dated(demo_run):
    db, shop, base, _ = demo_run
    lemmy = rows(db, "select item_id from url_signals where source = 'lemmy' order by 1")
    assert lemmy == [("https://feddit.dk/post/48213",), ("https://lemmy.ml/post/99120",)]
    (captures,) = rows(db, "select count(*) from url_signals where kind = 'capture'")
    assert captures[0] >= 40


def test_nothing_is_asked_beyond_the_local_fakes(demo_run):
    db, _, _, requests = demo_run
    # every request the driver counted reached the fake: none went anywhere else
    (counted,) = rows(db, "select sum(requests) from signal_sources")
    assert counted[0] == len(requests) > 0
    unreachable = rows(db, "select count(*) from signal_checks where reason like '%unreachable%'")
    assert unreachable == [(0,)]


@pytest.mark.parametrize("pages", [30, 100, 300])
def test_every_broken_share_is_a_page_the_shop_crawl_meets(pages):
    """A broken bridge needs the crawled row: each shared URL that is gone or noindex is a
    linked special path of the shop's ground truth, at the smallest and default sizes."""
    shop = DemoShop(pages=pages, seed=7)
    truth = build_expectations(shop)
    met = (
        set(truth["redirect_chains"])
        | set(truth["broken_links"])
        | set(truth["noindex_meta"])
        | set(shop.paths())
    )
    base = "http://127.0.0.1:1"
    shared = {urlsplit(s.url).path.rstrip("/") or "/" for s in demo_shares(shop, base)}
    assert shared <= met, shared - met
    gone = {P.REDIRECT_TO_404, P.BROKEN_TARGETS[1], P.WISHLIST, P.REDIRECT_START}
    assert gone <= shared
