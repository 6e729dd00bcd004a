"""Feeds: written then loaded later gives the same rows as storing directly."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from scrapy.exporters import JsonLinesItemExporter

import unsilo.pipeline.feeds as feeds_module
from unsilo.items import (
    CrawlTrapItem,
    Hreflang,
    LinkItem,
    MetaProperty,
    PageItem,
    PageRecord,
    PageSocialItem,
    ProductItem,
    ProductOffer,
    ProfileLinkItem,
    RedirectHop,
    RobotsTxtItem,
    RobotsTxtProblem,
    ShareLink,
    SitemapFileItem,
    SitemapUrlItem,
)
from unsilo.pipeline.db import connect
from unsilo.pipeline.feeds import (
    batch_files,
    load_parts,
    serialize,
    serialize_stdlib,
    write_batch,
)
from unsilo.pipeline.mixed_feed import UNROUTED, json_structure, load_feed_file
from unsilo.pipeline.schema import TABLES, column_types, duckdb_type
from unsilo.pipeline.store import ItemStore
from unsilo.social.items import PostItem


def items(text: str = 'Größe "quoted" \\ </script> \u2028 🛒') -> list[object]:
    url = "https://shop.example/a"
    return [
        PageItem(
            url,
            url,
            url,
            url,
            200,
            redirect_chain=[RedirectHop(url + "?x", 301)],
            is_html=True,
            title=text,
            h1=[text],
            hreflang=[Hreflang("de", url, "head", True)],
        ),
        PageItem(url + "/gone", url + "/gone", url, url, None, error="DNSLookupError"),
        LinkItem(url, text, text, text, rel=["ugc"]),
        PageSocialItem(url, og=[MetaProperty("og:title", text)], share_links=[ShareLink("x", url)]),
        ProfileLinkItem(url, "tiktok", "@shop", "https://tiktok.com/@shop", "link"),
        SitemapUrlItem(url, url, "https://shop.example/sitemap.xml", "2026-11-01"),
    ]


def rows(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, list[tuple]]:
    return {
        table: con.execute(
            f"select * exclude (run_id) from {table} where run_id = $r order by all", {"r": run_id}
        ).fetchall()
        for table in TABLES
    }


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return connect(":memory:")


def test_feed_written_then_loaded_equals_direct_store(con, tmp_path: Path) -> None:
    sample = items()
    with ItemStore(con, "direct") as store:
        for item in sample:
            store.add(item)
    by_table = {t: [i for i in sample if t == type(i).TABLE] for t in TABLES}
    assert write_batch(tmp_path, by_table).name == "part-000001"
    counts = {t: n for t, n in load_parts(con, "replayed", tmp_path).items() if n}
    assert counts == {
        "pages": 2,
        "links": 1,
        "page_social": 1,
        "profile_links": 1,
        "sitemap_urls": 1,
    }
    assert rows(con, "replayed") == rows(con, "direct")
    assert sum(len(r) for r in rows(con, "direct").values()) == len(sample)


def test_store_feed_dir_replays_into_another_database(con, tmp_path: Path) -> None:
    sample = items() * 3
    with ItemStore(con, "r1", batch_size=2, feed_dir=tmp_path) as store:
        for item in sample:
            store.add(item)
    other = connect(":memory:")
    assert load_parts(other, "r1", tmp_path) == store.counts
    assert rows(other, "r1") == rows(con, "r1")
    # two pages a batch, each batch holding its pages' other rows too
    assert len(batch_files(tmp_path, "pages")) == 3


def test_a_batch_folder_appears_whole_or_not_at_all(tmp_path: Path, monkeypatch) -> None:
    """A crash while a batch is written leaves no part a loader or a resume would trust."""
    sample = items()
    by_table = {t: [i for i in sample if t == type(i).TABLE] for t in TABLES}
    real = feeds_module.write_feed_lines
    calls = []

    def dies_on_second_table(path, rows):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real(path, rows)

    monkeypatch.setattr(feeds_module, "write_feed_lines", dies_on_second_table)
    with pytest.raises(OSError):
        write_batch(tmp_path, by_table)
    assert batch_files(tmp_path, "pages") == []
    monkeypatch.undo()
    assert write_batch(tmp_path, by_table).name == "part-000001"  # the number is reused
    assert len(batch_files(tmp_path, "pages")) == 1


def test_load_parts_with_nothing_there_loads_nothing(con, tmp_path: Path) -> None:
    assert load_parts(con, "r1", tmp_path) == dict.fromkeys(TABLES, 0)


def test_unknown_keys_are_ignored_and_missing_keys_are_null(con, tmp_path: Path) -> None:
    line = {"url_key": "k", "platform": "x", "profile_url": "u", "source": "link", "evil": 1}
    (tmp_path / "part-000001").mkdir()
    (tmp_path / "part-000001" / "profile_links.jsonl").write_text(json.dumps(line) + "\n")
    assert load_parts(con, "r1", tmp_path)["profile_links"] == 1
    assert con.execute("select * from profile_links").fetchall() == [
        ("r1", "k", "x", None, "u", "link", None)
    ]


def test_serialize_is_one_valid_utf8_json_object_per_line() -> None:
    data = serialize([PageSocialItem("k\n", og=[MetaProperty("og:title", "a\ud800b\u2028")])])
    (line, end) = data.decode("utf-8").split("\n")  # U+2028 must not break a line
    assert end == ""
    assert json.loads(line)["og"] == [{"property": "og:title", "content": "a\ufffdb\u2028"}]
    assert json.loads(line)["url_key"] == "k\n"


def test_fast_and_stdlib_serializers_give_the_same_lines() -> None:
    sample = items()
    fast = [json.loads(line) for line in serialize(sample).split(b"\n") if line]
    reference = [json.loads(line) for line in serialize_stdlib(sample).split(b"\n") if line]
    assert fast == reference == [dataclasses.asdict(i) for i in sample]


def test_store_works_without_orjson(con, monkeypatch) -> None:
    monkeypatch.setattr(feeds_module, "orjson", None)
    sample = items()
    with ItemStore(con, "stdlib") as store:
        for item in sample:
            store.add(item)
    monkeypatch.undo()
    with ItemStore(con, "fast") as store:
        for item in sample:
            store.add(item)
    assert rows(con, "stdlib") == rows(con, "fast")


def product(price: str = "1299.0000") -> ProductItem:
    offer = ProductOffer("Offer", Decimal(price), price, high_price=None, currency="DKK")
    return ProductItem("https://shop.example/a", "json-ld", 1, offers=[offer], price=Decimal(price))


@pytest.mark.parametrize("fast", [True, False])
def test_prices_are_stored_exactly(con, monkeypatch, fast: bool) -> None:
    """A Decimal travels as its text (orjson and the standard library alike) into DECIMAL."""
    if not fast:
        monkeypatch.setattr(feeds_module, "orjson", None)
    with ItemStore(con, "r") as store:
        store.add(product("12345678901234.5678"))
    stored = con.execute("select price, offers[1].price from page_products").fetchone()
    assert stored == (Decimal("12345678901234.5678"), Decimal("12345678901234.5678"))


def test_serialize_refuses_foreign_objects() -> None:
    with pytest.raises(TypeError, match="cannot serialise object"):
        serialize([PageSocialItem("k", share_widgets=[object()])])


def test_json_structure_matches_table_types() -> None:
    structure = json_structure(PageItem)
    assert list(structure) == list(column_types(PageItem))
    assert structure["redirect_chain"] == [{"url": "VARCHAR", "status": "BIGINT"}]
    assert structure["h1"] == ["VARCHAR"]
    assert structure["status"] == duckdb_type(int)


def scrapy_feed(path: Path, items: list[object]) -> Path:
    """What ``scrapy crawl shop -o items.jsonl`` writes (Scrapy's defaults: ASCII escapes)."""
    with path.open("wb") as handle:
        exporter = JsonLinesItemExporter(handle)
        exporter.start_exporting()
        for item in items:
            exporter.export_item(item)
        exporter.finish_exporting()
    return path


def store_directly(con: duckdb.DuckDBPyConnection, items: list[object]) -> None:
    with ItemStore(con, "direct") as store:
        for item in items:
            store.add(item)


def loaded_counts(con: duckdb.DuckDBPyConnection, run_id: str, path: Path) -> dict[str, int]:
    """Rows per table loaded from a mixed feed, leaving out the tables it had none for."""
    counts = load_feed_file(con, run_id, path).items()
    return {t: n for t, n in counts if n or t == UNROUTED}


def test_mixed_scrapy_feed_is_routed_by_keys(con, tmp_path: Path) -> None:
    """The file ``scrapy crawl shop -o items.jsonl`` writes: every item type in one file."""
    sample = items()
    path = scrapy_feed(tmp_path / "items.jsonl", sample)
    store_directly(con, sample)
    counts = loaded_counts(con, "mixed", path)
    assert counts == {
        "pages": 2,
        "links": 1,
        "page_social": 1,
        "profile_links": 1,
        "sitemap_urls": 1,
        UNROUTED: 0,
    }
    assert rows(con, "mixed") == rows(con, "direct")


def test_the_crawls_site_facts_in_a_scrapy_feed_land_in_their_tables(con, tmp_path: Path) -> None:
    """A Scrapyd job's feed holds the robots.txt, sitemap-file and trap facts beside the
    pages: ``unsilo load`` must store them as a direct crawl does, or a feed-loaded run
    loses its robots and sitemap findings."""
    robots = "https://shop.example/robots.txt"
    sample = [
        RobotsTxtItem(
            robots, robots, "https://shop.example", robots, 200, 120, 120, 0, "parsed",
            "unsilo", errors=1, problems=[RobotsTxtProblem(2, "Foo: 1", "Unknown directive")],
            sitemaps=["https://shop.example/sitemap.xml"],
        ),
        SitemapFileItem(
            "https://shop.example/sitemap.xml", "https://shop.example/sitemap.xml", "robots",
            200, "urlset", urls=3, bytes_read=400, problems=["mixed_entries"], reason="mixed",
        ),
        CrawlTrapItem(
            "query", "sid", 60, 50, "https://shop.example/?sid=1", "https://shop.example/?sid=1"
        ),
    ]  # fmt: skip
    path = scrapy_feed(tmp_path / "items.jsonl", sample)
    store_directly(con, sample)
    counts = loaded_counts(con, "mixed", path)
    assert counts == {"robots_txt": 1, "sitemaps": 1, "crawl_traps": 1, UNROUTED: 0}
    assert rows(con, "mixed") == rows(con, "direct")


def test_mixed_feed_honours_table_tag_and_counts_unroutable_lines(con, tmp_path: Path) -> None:
    social = dataclasses.asdict(PageSocialItem("https://shop.example/"))
    del social["og"], social["twitter"]  # still recognisable by its other own keys
    lines = [
        {"_table": "sitemap_urls", "url": "u", "url_key": "u", "sitemap_url": "s"},
        social,
        {"_table": "runs", "run_id": "forged", "status": "complete"},  # not an item table
        {"url_key": "only shared keys"},
        {"something": "else"},
        {"name": "a product's own key", "price": "1"},  # but none of its required fields
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    counts = load_feed_file(con, "r1", path)
    assert counts["sitemap_urls"] == 1
    assert counts["page_social"] == 1
    assert counts[UNROUTED] == 4
    assert con.execute("select count(*) from runs").fetchone()[0] == 0
    assert con.execute("select url, sitemap_url, lastmod from sitemap_urls").fetchall() == [
        ("u", "s", None)
    ]
    assert con.execute("select count(*) from duckdb_tables() where temporary").fetchone()[0] == 0


def test_page_records_in_a_scrapy_feed_are_unpacked_into_their_tables(con, tmp_path: Path) -> None:
    """The shop spider yields one PageRecord per page; its feed lines load like the rows."""
    page, gone, link, social, profile, sitemap = items()
    records = [
        PageRecord(
            page=page,
            links=[link, link],
            social=social,
            profile_links=[profile],
            products=[product()],
        ),
        PageRecord(page=gone),
        sitemap,
    ]
    path = scrapy_feed(tmp_path / "items.jsonl", records)
    store_directly(con, records)
    counts = loaded_counts(con, "fed", path)
    assert counts == {
        "pages": 2,
        "links": 2,
        "page_social": 1,
        "profile_links": 1,
        "page_products": 1,
        "sitemap_urls": 1,
        UNROUTED: 0,
    }
    assert rows(con, "fed") == rows(con, "direct")


def test_a_feed_mixing_page_records_and_posts_loads_both(con, tmp_path: Path) -> None:
    """``links`` is a page record's link rows and a post's URLs: neither line breaks the other."""
    page, _gone, link, _social, _profile, _sitemap = items()
    post = PostItem(
        "instagram", "shop", "p1", None, None, "Nyhed!", "post", links=["https://shop.example/a"]
    )
    records = [PageRecord(page=page, links=[link]), post, PageRecord(page=page, links=[])]
    path = scrapy_feed(tmp_path / "items.jsonl", records)
    store_directly(con, records)
    counts = loaded_counts(con, "fed", path)
    assert counts == {"pages": 2, "links": 1, "posts": 1, UNROUTED: 0}
    assert rows(con, "fed") == rows(con, "direct")
