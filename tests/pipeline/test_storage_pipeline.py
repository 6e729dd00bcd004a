"""The Scrapy storage pipeline: where items go, who owns the run, and how it is judged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import scrapy
from scrapy import signals
from scrapy.utils.test import get_crawler

from tests.pipeline.test_store import every_item_type, page, stored
from unsilo.items import LinkItem, PageItem
from unsilo.pipeline.crawl_run import JOB_RUN_FILE
from unsilo.pipeline.db import StorageError, connect
from unsilo.pipeline.feeds import RUN_FILE, STATS_FILE, batch_files
from unsilo.pipeline.lock import DatabaseLock, LockBusy
from unsilo.pipeline.run_history import list_runs
from unsilo.pipeline.run_rows import start_run
from unsilo.pipeline.runs import judge_run
from unsilo.pipeline.schema import TABLES
from unsilo.pipeline.storage_pipeline import StoragePipeline


class ShopLikeSpider(scrapy.Spider):
    name = "shoplike"
    start_url = "https://shop.example/"
    site = "shop.example"


def start_page() -> PageItem:
    item = page(0)
    item.found_via = "start"
    return item


def open_pipeline(settings: dict) -> tuple[StoragePipeline, scrapy.Spider]:
    """A pipeline as Scrapy builds it; no extensions, as no engine runs to feed them."""
    crawler = get_crawler(ShopLikeSpider, {"EXTENSIONS_BASE": {}, **settings})
    crawler.spider = crawler._create_spider()
    pipe = StoragePipeline.from_crawler(crawler)
    pipe.open_spider()
    return pipe, crawler.spider


def close_pipeline(pipe: StoragePipeline, spider: scrapy.Spider, reason: str) -> None:
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
    items = [start_page(), page(1), page(2), *every_item_type("x")[1:]]
    for item in items:
        assert pipe.process_item(item) is item
    close_pipeline(pipe, spider, "finished")

    con = connect(db)
    (run,) = list_runs(con)
    assert run["run_id"] == run_id
    assert (run["status"], run["reason"], run["pages"]) == ("complete", None, 3)
    assert (run["start_url"], run["site"]) == ("https://shop.example/", "shop.example")
    assert run["settings"]["max_pages"] == 50
    assert run["settings"]["spider"] == "shoplike"
    for table in TABLES:
        assert len(stored(con, table, run_id)) == sum(table == type(i).TABLE for i in items)
    DatabaseLock(db).acquire().release()  # free again


@pytest.mark.parametrize(
    ("reason", "status", "why"),
    [
        ("finished", "complete", None),
        ("closespider_pagecount", "partial", "page limit reached (7 pages)"),
        ("closespider_timeout", "partial", "time limit reached"),
        (
            "shutdown",
            "partial",
            "interrupted (Ctrl-C or SIGTERM); pages fetched so far are kept; "
            "1 linked URL was never fetched",
        ),
        ("cancelled", "partial", "crawl stopped early: cancelled"),
    ],
)
def test_pipeline_judges_its_run_with_the_run_owner(db: Path, reason, status, why) -> None:
    pipe, spider = open_pipeline({"UNSILO_DB": str(db), "CLOSESPIDER_PAGECOUNT": 7})
    start = start_page()
    pipe.process_item(start)
    target = "https://shop.example/never-fetched"
    pipe.process_item(LinkItem(start.final_url_key, target, target, "a link"))
    close_pipeline(pipe, spider, reason)
    (run,) = list_runs(connect(db))
    assert (run["status"], run["pages"]) == (status, 1)
    assert (run["reason"] is None) if why is None else (why in run["reason"])


def test_a_robots_blocked_start_page_fails_the_run_whatever_scrapy_says(db: Path) -> None:
    """`scrapy crawl shop -s UNSILO_DB=…` once called such a shop complete."""
    pipe, spider = open_pipeline({"UNSILO_DB": str(db)})
    blocked = start_page()
    blocked.status, blocked.is_html = None, False
    blocked.error = "robots.txt disallows unsilo's crawler (user-agent unsilo)"
    blocked.error_kind = "robots"
    pipe.process_item(blocked)
    close_pipeline(pipe, spider, "finished")
    (run,) = list_runs(connect(db))
    assert run["status"] == "failed"
    assert run["reason"].startswith("unsilo's crawler was blocked by the shop's robots.txt")


def test_a_social_crawl_stopped_early_makes_the_audit_partial(db: Path) -> None:
    """Ctrl-C while the profiles are read: the shop is whole, the audit is not."""
    pipe, spider = open_pipeline({"UNSILO_DB": str(db)})
    pipe.process_item(start_page())
    close_pipeline(pipe, spider, "finished")
    con = connect(db)
    finished = {"finish_reason": "finished"}
    assert judge_run(con, spider.run_id, finished, steps={"social": ("finished", None)}) == (
        "complete",
        None,
    )
    assert judge_run(con, spider.run_id, finished, steps={"social": ("shutdown", None)}) == (
        "partial",
        "the social profiles' crawl stopped early: shutdown",
    )


def test_pipeline_uses_a_run_the_cli_started_and_leaves_it_open(db: Path) -> None:
    con = connect(db)
    run_id = start_run(con, start_url="https://shop.example/", site="shop.example", settings={})
    con.close()
    pipe, spider = open_pipeline({"UNSILO_DB": str(db), "UNSILO_RUN_ID": run_id})
    assert spider.run_id == run_id
    DatabaseLock(db).acquire().release()  # the CLI, not the pipeline, holds the lock
    pipe.process_item(start_page())
    close_pipeline(pipe, spider, "finished")
    con = connect(db)
    (run,) = list_runs(con)
    assert run["status"] == "running"  # the CLI judges and finishes it
    assert len(stored(con, "pages", run_id)) == 1


def test_pipeline_refuses_a_run_id_the_database_does_not_know(db: Path) -> None:
    with pytest.raises(StorageError, match="UNSILO_RUN_ID nope is not a run in"):
        open_pipeline({"UNSILO_DB": str(db), "UNSILO_RUN_ID": "nope"})


def test_database_run_closes_stale_runs_and_keeps_a_feed_copy(db: Path, tmp_path: Path) -> None:
    con = connect(db)
    dead = start_run(con, start_url="https://shop.example/", site="shop.example", settings={})
    con.close()
    feeds = tmp_path / "feeds"
    pipe, spider = open_pipeline({"UNSILO_DB": str(db), "UNSILO_FEED_DIR": str(feeds)})
    pipe.process_item(start_page())
    passthrough = {"not": "an unsilo item"}
    assert pipe.process_item(passthrough) is passthrough
    close_pipeline(pipe, spider, "finished")
    status = {r["run_id"]: r["status"] for r in list_runs(connect(db))}
    assert status == {dead: "partial", spider.run_id: "complete"}
    job = feeds / spider.run_id
    assert len(batch_files(job, "pages")) == 1
    assert json.loads((job / STATS_FILE).read_text())["finish_reason"] == "finished"


def test_without_a_database_setting_items_go_to_a_feed_job_and_no_database_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scrapyd and a plain `scrapy crawl`: nothing writes a DuckDB file in the working dir."""
    monkeypatch.chdir(tmp_path)
    pipe, spider = open_pipeline({"UNSILO_BATCH_SIZE": 1})
    for item in [start_page(), *every_item_type("y")[1:]]:
        pipe.process_item(item)
    close_pipeline(pipe, spider, "closespider_pagecount")
    job = tmp_path / "unsilo-feeds" / spider.run_id
    run = json.loads((job / RUN_FILE).read_text())
    assert (run["run_id"], run["start_url"], run["scope"]["spider"]) == (
        spider.run_id,
        "https://shop.example/",
        "shoplike",
    )
    assert json.loads((job / STATS_FILE).read_text())["finish_reason"] == "closespider_pagecount"
    assert len(batch_files(job, "pages")) == 1
    assert not list(tmp_path.rglob("*.duckdb"))


def test_two_feed_jobs_at_once_do_not_collide(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    first, one = open_pipeline({})
    second, two = open_pipeline({})  # no database lock to fight over
    first.process_item(start_page())
    second.process_item(start_page())
    close_pipeline(first, one, "finished")
    close_pipeline(second, two, "finished")
    assert one.run_id != two.run_id
    jobs = sorted(p.name for p in (tmp_path / "unsilo-feeds").iterdir())
    assert jobs == sorted([one.run_id, two.run_id])


def test_a_jobdir_names_the_run_a_paused_crawl_continues(db: Path, tmp_path: Path) -> None:
    jobdir = tmp_path / "job"
    pipe, spider = open_pipeline({"UNSILO_DB": str(db), "JOBDIR": str(jobdir)})
    pipe.process_item(start_page())
    close_pipeline(pipe, spider, "shutdown")
    assert (jobdir / JOB_RUN_FILE).read_text() == spider.run_id
    again, resumed = open_pipeline({"UNSILO_DB": str(db), "JOBDIR": str(jobdir)})
    assert resumed.run_id == spider.run_id
    again.process_item(page(5))
    close_pipeline(again, resumed, "finished")
    (run,) = list_runs(connect(db))
    assert (run["status"], run["pages"]) == ("complete", 2)


REAL_CRAWL = """
import sys, warnings
warnings.simplefilter("error", DeprecationWarning)  # the pipeline uses Scrapy's current API
import scrapy
from scrapy.crawler import CrawlerProcess
from unsilo.items import LinkItem, PageItem

class DataPages(scrapy.Spider):
    name = "datapages"
    start_url = "https://shop.example/"
    site = "shop.example"

    async def start(self):
        for n in range(40):  # data: URIs are answered in-process, no network involved
            yield scrapy.Request(f"data:text/plain,{n}", dont_filter=True)

    def parse(self, response):
        url = f"https://shop.example/{response.text}"
        via = "start" if response.text == "0" else "link"
        yield PageItem(url, url, url, url, 200, is_html=True, found_via=via)

process = CrawlerProcess({
    "ITEM_PIPELINES": {"unsilo.pipeline.storage_pipeline.StoragePipeline": 300},
    "UNSILO_DB": sys.argv[1],
    "UNSILO_BATCH_SIZE": 7,
    "CLOSESPIDER_PAGECOUNT": int(sys.argv[2]),
    "CONCURRENT_REQUESTS": 1,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
})
process.crawl(DataPages)
process.start()
"""


@pytest.mark.parametrize(
    ("page_limit", "status", "reason"),
    [
        (0, "complete", None),
        (5, "partial", "page limit reached (5 pages): the shop may hold more than was crawled"),
    ],
)
def test_real_scrapy_engine_records_and_finishes_the_run(
    db: Path, page_limit: int, status: str, reason: str | None
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
    assert (run["status"], run["reason"]) == (status, reason)
    if page_limit:
        assert page_limit <= run["pages"] < 40
    else:
        assert run["pages"] == 40
