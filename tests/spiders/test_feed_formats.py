"""A user's ``-o FILE`` feed: one record per page, in every format Scrapy offers, and each
file loads back with the standard library (nested parts as JSON text in CSV and XML)."""

from __future__ import annotations

import csv
import json
import marshal
import pickle
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.extensions.feedexport import ItemFilter
from scrapy.utils.test import get_crawler

from tests.conftest import query_db, run_cli, run_scrapy
from unsilo.feed_export import PAGE_RECORDS, PageFeedExporter, PageRecords

FORMATS = ("json", "jsonlines", "csv", "xml", "marshal", "pickle")


def _stream(path: Path, load: Callable[[Any], Any]) -> list[Any]:
    """Every object of a marshal or pickle feed: one dump per item, read until the end."""
    items = []
    with path.open("rb") as handle:
        while True:
            try:
                items.append(load(handle))
            except EOFError:
                return items


def _xml(path: Path) -> list[dict[str, str | None]]:
    return [{field.tag: field.text for field in item} for item in ET.parse(path).getroot()]


def _csv(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: spreadsheets read æøå
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


READERS: dict[str, Callable[[Path], list[Any]]] = {
    "json": lambda p: json.loads(p.read_text(encoding="utf-8")),
    "jsonlines": lambda p: [json.loads(line) for line in p.read_text("utf-8").splitlines()],
    "csv": _csv,
    "xml": _xml,
    "marshal": lambda p: _stream(p, marshal.load),
    "pickle": lambda p: _stream(p, pickle.load),
}


@pytest.fixture(scope="module")
def feeds(tmp_path_factory, demo_server) -> tuple[dict[str, list[Any]], list[str]]:
    """One crawl of the demo shop writing a feed in each format; the URLs it stored."""
    folder = tmp_path_factory.mktemp("feeds")
    db = folder / "s.duckdb"
    setting = {str(folder / f"items.{fmt}"): {"format": fmt} for fmt in FORMATS}
    result = run_scrapy(
        "crawl", "shop", "-a", f"url={demo_server.url}", "-s", f"UNSILO_DB={db}",
        "-s", "CLOSESPIDER_PAGECOUNT=25", "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "LOG_LEVEL=WARNING", "-s", f"FEEDS={json.dumps(setting)}",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    stored = [url for (url,) in query_db(db, "select url from pages order by url")]
    assert len(stored) >= 25 and query_db(db, "select count(*) from robots_txt")[0][0] == 1
    return {fmt: READERS[fmt](folder / f"items.{fmt}") for fmt in FORMATS}, stored


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_holds_one_record_per_page_and_loads_back(feeds, fmt: str) -> None:
    by_format, stored = feeds
    records = by_format[fmt]
    urls = [r["page"]["url"] if "page" in r else r["url"] for r in records]
    assert sorted(urls) == stored  # pages only: no sitemap URL, robots.txt or trap lines


@pytest.mark.parametrize("fmt", ["csv", "xml"])
def test_flat_formats_hold_nested_parts_as_json_text(feeds, fmt: str) -> None:
    records = feeds[0][fmt]
    home = next(r for r in records if r["depth"] == "0")
    links = json.loads(home["links"])
    assert links and all("target_url" in link for link in links)
    assert isinstance(json.loads(home["redirect_chain"] or "[]"), list)
    assert "Item(" not in "".join(str(v) for r in records for v in r.values())  # no repr


def test_marshal_and_pickle_hold_plain_values(feeds) -> None:
    for fmt in ("marshal", "pickle"):
        record = feeds[0][fmt][0]
        assert isinstance(record["page"], dict) and isinstance(record["links"], list), fmt


def test_unsilo_crawl_writes_the_page_feed_and_refuses_a_broken_append(
    tmp_path: Path, demo_server
) -> None:
    """The audit's follow-up spiders (social) leave the page feed alone; a JSON feed
    appended to a full file would not load, so that is refused in one line."""
    db, out = tmp_path / "c.duckdb", tmp_path / "pages.json"
    crawled = run_cli(
        "crawl", demo_server.url, "--max-pages", "15", "--no-signals", "--db", str(db),
        "-o", str(out), "-q", cwd=tmp_path,
    )  # fmt: skip
    assert crawled.returncode in (0, 3), crawled.stderr  # 3: partial (the page limit)
    pages = json.loads(out.read_text(encoding="utf-8"))
    [(stored,)] = query_db(db, "select count(*) from pages")
    assert len(pages) == stored and all("page" in record for record in pages)

    again = run_cli("crawl", demo_server.url, "--db", str(db), "-o", str(out), cwd=tmp_path)
    assert again.returncode == 2
    assert "exists and -o appends" in again.stderr and "Traceback" not in again.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == pages  # untouched


def _exporter(spider_name: str, feed: dict[str, Any], tmp_path: Path) -> PageFeedExporter:
    spider = type("Spider", (scrapy.Spider,), {"name": spider_name})
    uri = str(tmp_path / "out.jsonl")
    return PageFeedExporter(get_crawler(spider, {"FEEDS": {uri: feed}}))


def test_only_the_shop_spiders_feeds_default_to_page_records(tmp_path: Path) -> None:
    """``scrapy crawl social -o posts.jsonl`` keeps every item, as Scrapy does; the page
    feed ``unsilo audit -o`` sets is not reopened by the spiders after the shop."""
    shop = _exporter("shop", {"format": "jsonlines"}, tmp_path)
    assert [type(f) for f in shop.filters.values()] == [PageRecords]
    social = _exporter("social", {"format": "jsonlines"}, tmp_path)
    assert [type(f) for f in social.filters.values()] == [ItemFilter]
    with pytest.raises(NotConfigured):
        _exporter("social", {"format": "jsonlines", "item_filter": PAGE_RECORDS}, tmp_path)
    everything = {"format": "jsonlines", "item_filter": "scrapy.extensions.feedexport.ItemFilter"}
    assert [type(f) for f in _exporter("shop", everything, tmp_path).filters.values()] == [
        ItemFilter
    ]
