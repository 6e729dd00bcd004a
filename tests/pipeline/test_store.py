"""ItemStore batching and round-trips, and the Scrapy pipeline driven through get_crawler."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import scrapy
from scrapy import signals
from scrapy.utils.test import get_crawler

import unsilo.pipeline.store as store_module
from unsilo.items import (
    Hreflang,
    LinkItem,
    MetaProperty,
    PageItem,
    PageSocialItem,
    ProfileLinkItem,
    RedirectHop,
    ShareLink,
    SitemapUrlItem,
)
from unsilo.pipeline.db import StorageError, connect
from unsilo.pipeline.lock import DatabaseLock, LockBusy
from unsilo.pipeline.runs import list_runs, start_run
from unsilo.pipeline.schema import TABLES
from unsilo.pipeline.store import DuckDBPipeline, ItemStore, run_outcome

HOSTILE = [
    "Größe & Maß – ☃ 🛒 مرحبا",
    "quote \" backslash \\ apostrophe ' ; drop table pages; --",
    "line\nbreak\r\ttab \u2028 \u2029 nul\x00byte",
    "</script><script>alert(1)</script>",
    '{"_table": "runs", "status": "complete"}',
    "\u202eright-to-left override",
]


def page(n: int, text: str = "plain") -> PageItem:
    url = f"https://shop.example/p/{n}?q={text[:3]}"
    return PageItem(
        url=url,
        url_key=url,
        final_url=url + "/",
        final_url_key=url,
        status=200,
        redirect_chain=[RedirectHop(url + "?old", 301), RedirectHop(url + "?older", 308)],
        is_html=True,
        response_ms=12.5,
        title=text,
        robots_directives=["noarchive", text],
        hreflang=[Hreflang("de-DE", url, "head", True), Hreflang("xx", text, "header", False)],
        h1=[text, ""],
        structured_data_types=["Product"],
    )


def every_item_type(text: str) -> list[object]:
    url = "https://shop.example/a"
    return [
        page(1, text),
        LinkItem(url, text, text, text, rel=["nofollow", text], nofollow=True, internal=False),
        PageSocialItem(
            url,
            og=[MetaProperty("og:title", text)],
            share_links=[ShareLink("x", f"https://x.com/intent/post?text={text}")],
            web_share_api=True,
        ),
        ProfileLinkItem(url, "instagram", text, "https://instagram.com/shop", "sameAs"),
        SitemapUrlItem(url, url, "https://shop.example/sitemap.xml", lastmod=None),
    ]


def stored(con: duckdb.DuckDBPyConnection, table: str, run_id: str) -> list[dict]:
    cur = con.execute(f"select * exclude (run_id) from {table} where run_id = $r", {"r": run_id})
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return connect(":memory:")


@pytest.mark.parametrize(("n", "batch"), [(23, 5), (10, 5), (1, 500), (7, 1)])
def test_n_items_take_ceil_n_over_batch_statements(con, monkeypatch, n: int, batch: int) -> None:
    calls: list[str] = []
    real = store_module.insert_json_lines

    def counting(con, table, run_id, files):
        calls.append(table)
        return real(con, table, run_id, files)

    monkeypatch.setattr(store_module, "insert_json_lines", counting)
    store = ItemStore(con, "r1", batch_size=batch)
    for i in range(n):
        store.add(page(i))
    store.close()
    assert calls == ["pages"] * math.ceil(n / batch)
    assert store.writes["pages"] == math.ceil(n / batch)
    assert store.counts["pages"] == n
    assert con.execute("select count(*) from pages").fetchone()[0] == n


def test_full_batches_are_written_before_flush(con) -> None:
    store = ItemStore(con, "r1", batch_size=3)
    for i in range(4):
        store.add(page(i))
    assert con.execute("select count(*) from pages").fetchone()[0] == 3
    store.flush()
    assert con.execute("select count(*) from pages").fetchone()[0] == 4


@pytest.mark.parametrize("text", HOSTILE)
def test_every_item_type_round_trips_with_nested_fields_and_hostile_text(con, text: str) -> None:
    items = every_item_type(text)
    with ItemStore(con, "r1", batch_size=2) as store:
        for item in items:
            store.add(item)
    for item in items:
        assert stored(con, type(item).TABLE, "r1") == [dataclasses.asdict(item)]
    assert con.execute("select count(*) from runs").fetchone()[0] == 0


def test_lone_surrogate_becomes_replacement_character(con) -> None:
    with ItemStore(con, "r1") as store:
        store.add(page(1, "bad \ud800 byte"))
        store.add(page(2, "fine"))
    titles = sorted(r["title"] for r in stored(con, "pages", "r1"))
    assert titles == ["bad \ufffd byte", "fine"]


def test_two_runs_in_one_database_are_kept_apart(con) -> None:
    with ItemStore(con, "first") as store:
        store.add(page(1, "one"))
    with ItemStore(con, "second") as store:
        store.add(page(1, "two"))
        store.add(page(2, "two"))
    assert [r["title"] for r in stored(con, "pages", "first")] == ["one"]
    assert [r["title"] for r in stored(con, "pages", "second")] == ["two", "two"]


def test_feed_dir_keeps_numbered_parts_and_continues_numbering(con, tmp_path: Path) -> None:
    with ItemStore(con, "r1", batch_size=2, feed_dir=tmp_path) as store:
        for i in range(5):
            store.add(page(i))
    with ItemStore(con, "r1", batch_size=2, feed_dir=tmp_path) as store:
        store.add(page(9))
    parts = sorted(p.name for p in (tmp_path / "pages").iterdir())
    assert parts == [f"part-{i:06d}.jsonl" for i in range(1, 5)]


def test_temporary_batch_files_are_removed(con) -> None:
    store = ItemStore(con, "r1", batch_size=1)
    store.add(page(1))
    tmp = store._tmp
    assert tmp is not None and not any(tmp.iterdir())
    store.close()
    assert not tmp.exists()


def test_rejects_things_that_are_not_items(con) -> None:
    store = ItemStore(con, "r1")
    with pytest.raises(TypeError, match="not an unsilo item: dict"):
        store.add({"url": "https://shop.example/"})
    with pytest.raises(ValueError, match="batch_size"):
        ItemStore(con, "r1", batch_size=0)


# --- the Scrapy pipeline -------------------------------------------------------------


class ShopLikeSpider(scrapy.Spider):
    name = "shoplike"
    start_url = "https://shop.example/"
    site = "shop.example"


def open_pipeline(settings: dict) -> tuple[DuckDBPipeline, scrapy.Spider]:
    """A pipeline as Scrapy builds it; no extensions, as no engine runs to feed them."""
    crawler = get_crawler(ShopLikeSpider, {"EXTENSIONS_BASE": {}, **settings})
    crawler.spider = crawler._create_spider()
    pipe = DuckDBPipeline.from_crawler(crawler)
    pipe.open_spider()
    return pipe, crawler.spider


def close_pipeline(pipe: DuckDBPipeline, spider: scrapy.Spider, reason: str) -> None:
    pipe.close_spider()
    pipe.crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason=reason)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "crawl.duckdb"


def test_pipeline_records_a_run_of_its_own(db: Path) -> None:
    pipe, spider = open_pipeline(
        {"UNSILO_DB": str(db), "UNSILO_BATCH_SIZE": 2, "CLOSESPIDER_PAGECOUNT": 50}
    )
    run_id = spider.run_id
    with pytest.raises(LockBusy):  # the run holds the database for its whole length
        DatabaseLock(db).acquire()
    items = [page(i) for i in range(3)] + every_item_type("x")[1:]
    for item in items:
        assert pipe.process_item(item) is item
    close_pipeline(pipe, spider, "finished")

    con = connect(db)
    (run,) = list_runs(con)
    assert run["run_id"] == run_id
    assert (run["status"], run["reason"], run["pages"]) == ("complete", None, 3)
    assert (run["start_url"], run["site"]) == ("https://shop.example/", "shop.example")
    assert run["settings"]["CLOSESPIDER_PAGECOUNT"] == 50
    assert run["settings"]["spider"] == "shoplike"
    for table in TABLES:
        expected = [dataclasses.asdict(i) for i in items if table == type(i).TABLE]
        assert stored(con, table, run_id) == expected
    DatabaseLock(db).acquire().release()  # free again


@pytest.mark.parametrize(
    ("reason", "status", "why"),
    [("closespider_pagecount", "complete", "page limit"), ("shutdown", "partial", "shutdown")],
)
def test_pipeline_maps_close_reason_to_status(db: Path, reason: str, status: str, why) -> None:
    pipe, spider = open_pipeline({"UNSILO_DB": str(db)})
    pipe.process_item(page(1))
    close_pipeline(pipe, spider, reason)
    (run,) = list_runs(connect(db))
    assert (run["status"], run["pages"]) == (status, 1)
    assert why in run["reason"]


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("finished", ("complete", None)),
        ("closespider_pagecount", ("complete", "page limit reached (CLOSESPIDER_PAGECOUNT)")),
        ("closespider_timeout", ("complete", "time limit reached (CLOSESPIDER_TIMEOUT)")),
        ("closespider_errorcount", ("partial", "crawl stopped early: closespider_errorcount")),
        ("shutdown", ("partial", "crawl stopped early: shutdown")),
        ("cancelled", ("partial", "crawl stopped early: cancelled")),
    ],
)
def test_run_outcome(reason: str, expected: tuple[str, str | None]) -> None:
    assert run_outcome(reason) == expected


def test_pipeline_uses_a_run_the_cli_started_and_leaves_it_open(db: Path) -> None:
    con = connect(db)
    run_id = start_run(con, start_url="https://shop.example/", site="shop.example", settings={})
    con.close()
    pipe, spider = open_pipeline({"UNSILO_DB": str(db), "UNSILO_RUN_ID": run_id})
    assert spider.run_id == run_id
    DatabaseLock(db).acquire().release()  # the CLI, not the pipeline, holds the lock
    pipe.process_item(page(1))
    close_pipeline(pipe, spider, "finished")
    con = connect(db)
    (run,) = list_runs(con)
    assert run["status"] == "running"  # the CLI finishes it after analysis
    assert len(stored(con, "pages", run_id)) == 1


def test_pipeline_refuses_a_run_id_the_database_does_not_know(db: Path) -> None:
    with pytest.raises(StorageError, match="UNSILO_RUN_ID nope is not a run in"):
        open_pipeline({"UNSILO_DB": str(db), "UNSILO_RUN_ID": "nope"})


def test_pipeline_closes_stale_runs_and_writes_feeds(db: Path, tmp_path: Path) -> None:
    con = connect(db)
    dead = start_run(con, start_url="https://shop.example/", site="shop.example", settings={})
    con.close()
    feeds = tmp_path / "feeds"
    pipe, spider = open_pipeline({"UNSILO_DB": str(db), "UNSILO_FEED_DIR": str(feeds)})
    pipe.process_item(page(1))
    passthrough = {"not": "an unsilo item"}
    assert pipe.process_item(passthrough) is passthrough
    close_pipeline(pipe, spider, "finished")
    status = {r["run_id"]: r["status"] for r in list_runs(connect(db))}
    assert status == {dead: "partial", spider.run_id: "complete"}
    assert [p.name for p in (feeds / spider.run_id / "pages").iterdir()] == ["part-000001.jsonl"]


REAL_CRAWL = """
import sys, warnings
warnings.simplefilter("error", DeprecationWarning)  # the pipeline uses Scrapy's current API
import scrapy
from scrapy.crawler import CrawlerProcess
from unsilo.items import PageItem

class DataPages(scrapy.Spider):
    name = "datapages"
    start_url = "https://shop.example/"
    site = "shop.example"

    async def start(self):
        for n in range(40):  # data: URIs are answered in-process, no network involved
            yield scrapy.Request(f"data:text/plain,{n}", dont_filter=True)

    def parse(self, response):
        url = f"https://shop.example/{response.text}"
        yield PageItem(url, url, url, url, 200, is_html=True)

process = CrawlerProcess({
    "ITEM_PIPELINES": {"unsilo.pipeline.store.DuckDBPipeline": 300},
    "UNSILO_DB": sys.argv[1],
    "UNSILO_BATCH_SIZE": 7,
    "CLOSESPIDER_PAGECOUNT": int(sys.argv[2]),
    "CONCURRENT_REQUESTS": 2,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
})
process.crawl(DataPages)
process.start()
"""


@pytest.mark.parametrize(
    ("page_limit", "reason"), [(0, None), (5, "page limit reached (CLOSESPIDER_PAGECOUNT)")]
)
def test_real_scrapy_engine_records_and_finishes_the_run(
    db: Path, page_limit: int, reason: str | None
) -> None:
    """Scrapy calls close_spider before spider_closed carries the reason: check the order."""
    proc = subprocess.run(
        [sys.executable, "-c", REAL_CRAWL, str(db), str(page_limit)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    (run,) = list_runs(connect(db))
    assert (run["status"], run["reason"]) == ("complete", reason)
    if page_limit:
        assert page_limit <= run["pages"] < 40
    else:
        assert run["pages"] == 40
