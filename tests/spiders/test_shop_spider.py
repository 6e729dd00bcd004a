"""Whole crawls of the demo shop: every URL the spider tries becomes a fact in DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import Audit, query_db, run_cli, run_scrapy
from unsilo.demo.expectations import build_expectations
from unsilo.demo.server import DemoServer
from unsilo.demo.shop import DemoShop
from unsilo.pipeline.schema import TABLES


def _url(server: DemoServer, path: str) -> str:
    return server.url.rstrip("/") + path


def test_every_page_of_the_shop_is_recorded(demo_audit: Audit, demo_server, demo_shop) -> None:
    crawled = {row[0] for row in demo_audit.query("select final_url from pages")}
    missing = [p for p in demo_shop.paths() if _url(demo_server, p) not in crawled]
    assert missing == []


def test_the_run_is_complete_with_counts(demo_audit: Audit, demo_shop: DemoShop) -> None:
    [(status, pages, html_pages, errors)] = demo_audit.query(
        "select status, pages, html_pages, errors from runs"
    )
    assert status == "complete"
    assert html_pages >= demo_shop.pages
    assert pages >= html_pages and errors >= 1


def test_redirect_chains_are_recorded_hop_by_hop(demo_audit: Audit, demo_server, demo_shop):
    for path, chain in build_expectations(demo_shop)["redirect_chains"].items():
        rows = demo_audit.query(
            "select redirect_chain, final_url, status from pages where url = ?",
            [_url(demo_server, path)],
        )
        assert rows, f"no row for redirecting URL {path}"
        hops, final_url, status = rows[0]
        assert [(h["url"], h["status"]) for h in hops] == [
            (_url(demo_server, p), s) for p, s in chain["hops"]
        ]
        assert final_url == _url(demo_server, chain["final"])
        assert status == chain["final_status"]


def test_error_pages_and_non_html_are_facts_not_dropped(demo_audit: Audit, demo_server, demo_shop):
    expected = build_expectations(demo_shop)
    for path in expected["server_errors"]:
        [(status,)] = demo_audit.query(
            "select status from pages where url = ?", [_url(demo_server, path)]
        )
        assert status >= 500
    for path, content_type in expected["non_html"].items():
        [(is_html, ctype)] = demo_audit.query(
            "select is_html, content_type from pages where url = ?", [_url(demo_server, path)]
        )
        assert not is_html and ctype.startswith(content_type)
    broken_targets = {t for targets in expected["broken_links"].values() for t in targets}
    assert broken_targets  # the shop has broken links; each target is recorded as a 404
    statuses = dict(demo_audit.query("select url, status from pages where status = 404"))
    assert any(url.startswith(demo_server.url.rstrip("/")) for url in statuses)


def test_each_url_is_requested_once(demo_audit: Audit) -> None:
    dupes = demo_audit.query("select url, count(*) from pages group by url having count(*) > 1")
    assert dupes == []


def test_social_facts_and_sitemap_are_stored(demo_audit: Audit, demo_server, demo_shop) -> None:
    expected = build_expectations(demo_shop)
    complete = _url(demo_server, expected["og"]["complete"][1])
    [(og,)] = demo_audit.query("select og from page_social where url_key = ?", [complete])
    assert {"og:title", "og:image", "og:url"} <= {m["property"] for m in og}
    [(sitemap_urls,)] = demo_audit.query("select count(*) from sitemap_urls")
    assert sitemap_urls >= demo_shop.pages - len(expected["noindex_header"]) - 5
    orphans = [_url(demo_server, p) for p in expected["orphans"]]
    found = demo_audit.query(
        "select url, found_via from pages where url in (select unnest(?::varchar[]))", [orphans]
    )
    assert {url: via for url, via in found} == dict.fromkeys(orphans, "sitemap")
    platforms = {r[0] for r in demo_audit.query("select distinct platform from profile_links")}
    assert {"bluesky", "mastodon", "youtube"} <= platforms


def test_robots_txt_is_a_site_fact(demo_audit: Audit, demo_server) -> None:
    rows = demo_audit.query("select url, status, errors, sitemaps from robots_txt")
    base = demo_server.url.rstrip("/")
    assert rows == [(f"{base}/robots.txt", 200, 0, [f"{base}/sitemap.xml"])]


def test_scrapy_crawl_works_as_scrapy_users_expect(tmp_path: Path, demo_server) -> None:
    db, feed = tmp_path / "s.duckdb", tmp_path / "items.jsonl"
    stats = tmp_path / "stats.json"
    result = run_scrapy(
        "crawl", "shop", "-a", f"url={demo_server.url}",
        "-s", f"UNSILO_DB={db}", "-s", "CLOSESPIDER_PAGECOUNT=15", "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "LOG_LEVEL=WARNING", "-s", f"UNSILO_STATS_FILE={stats}",
        "-s", f"FEEDS={json.dumps({str(feed): ALL_ITEMS})}",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [json.loads(line) for line in feed.read_text().splitlines()]
    pages = [line["page"] for line in lines if "page" in line]  # one PageRecord line per page
    assert pages and all("final_url" in page for page in pages)
    con = duckdb.connect(str(db), read_only=True)
    [(status, reason, pages)] = con.execute("select status, reason, pages from runs").fetchall()
    assert (status, reason) == ("partial", LIMITED)
    # the page-count limit stops the crawl early; a few in-flight responses may still land
    assert 15 <= pages < 40
    stored = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
    con.close()

    # the same items, loaded later from the feed file (the Scrapyd way), give the same rows
    # and, with the crawl's stats beside them, the same judgement
    other = tmp_path / "loaded.duckdb"
    loaded = run_cli(
        "load", str(feed), "--url", demo_server.url, "--stats", str(stats), "--db", str(other),
        cwd=tmp_path,
    )  # fmt: skip
    assert loaded.returncode == 3, loaded.stderr
    con = duckdb.connect(str(other), read_only=True)
    assert {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES} == stored
    assert con.execute("select status, reason from runs").fetchall() == [("partial", LIMITED)]
    con.close()
    # without them nobody can tell whether the crawl finished: never "complete"
    blind = run_cli("load", str(feed), "--url", demo_server.url, "--db", str(other), cwd=tmp_path)
    assert blind.returncode == 3 and "the crawl left no stats" in blind.stdout


ALL_ITEMS = {"format": "jsonlines", "item_filter": "scrapy.extensions.feedexport.ItemFilter"}
"""A feed of every item the crawl yields (``-o`` holds the page records only), which
``unsilo load`` turns into every table."""

LIMITED = "page limit reached (15 pages): the shop may hold more than was crawled"


def test_waiting_links_are_all_crawled_at_their_depth(tmp_path: Path, demo_server, demo_shop):
    """With 2 requests in flight most links wait in the spider's frontier; none is lost."""
    db = tmp_path / "f.duckdb"
    result = run_scrapy(
        "crawl", "shop", "-a", f"url={demo_server.url}", "-s", f"UNSILO_DB={db}",
        "-s", "UNSILO_MAX_IN_FLIGHT=2", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    con = duckdb.connect(str(db), read_only=True)
    crawled = {r[0] for r in con.execute("select final_url from pages").fetchall()}
    base = demo_server.url.rstrip("/")
    assert {base + p for p in demo_shop.paths()} <= crawled
    assert con.execute("select url from pages group by url having count(*) > 1").fetchall() == []


def test_depth_limit_holds_for_waiting_links(tmp_path: Path, demo_server) -> None:
    db = tmp_path / "d.duckdb"
    result = run_scrapy(
        "crawl", "shop", "-a", f"url={demo_server.url}", "-a", "sitemaps=0",
        "-s", f"UNSILO_DB={db}", "-s", "UNSILO_MAX_IN_FLIGHT=2", "-s", "DEPTH_LIMIT=1",
        "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    con = duckdb.connect(str(db), read_only=True)
    [(deepest, pages)] = con.execute("select max(depth), count(*) from pages").fetchall()
    assert deepest == 1 and pages > 5


@pytest.mark.parametrize(
    "argument, given",
    [(["-a", "url=ftp://shop.example/"], "'ftp://shop.example/'"), ([], "None")],
    ids=["not-http", "missing"],
)
def test_a_bad_start_url_is_one_line_and_the_runs_reason(
    tmp_path: Path, argument: list[str], given: str
) -> None:
    """``scrapy crawl shop`` with no http(s) ``-a url``: one error line, no traceback, a
    clean exit, and the run row says the argument was bad (the spider asked nothing)."""
    db = tmp_path / "bad.duckdb"
    result = run_scrapy("crawl", "shop", *argument, "-s", f"UNSILO_DB={db}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "never retrieved" not in result.stderr
    message = f"bad argument: shop spider needs -a url=<http(s) URL>, got {given}"
    log = result.stderr.splitlines()
    errors = [line.split(" ERROR: ", 1)[1] for line in log if " ERROR: " in line]
    assert errors == [message]
    [(status, reason, pages)] = query_db(db, "select status, reason, pages from runs")
    assert (status, reason, pages) == ("failed", f"nothing asked: {message}", 0)
