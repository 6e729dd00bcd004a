"""ItemStore batching and round-trips, and the Scrapy pipeline driven through get_crawler."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import duckdb
import pytest

import unsilo.pipeline.feeds as feeds_module
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
from unsilo.pipeline.store import ItemStore

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
    real = feeds_module.insert_json_lines

    def counting(con, table, run_id, files):
        calls.append(table)
        return real(con, table, run_id, files)

    monkeypatch.setattr(feeds_module, "insert_json_lines", counting)
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
    parts = sorted(p.name for p in tmp_path.iterdir())
    assert parts == [f"part-{i:06d}" for i in range(1, 5)]


def test_a_page_and_its_links_are_stored_together_or_not_at_all(con) -> None:
    """A resume trusts stored pages' links: a page must never be stored without them."""
    store = ItemStore(con, "r1", batch_size=6)  # the five rows below and one more page
    # three steps: DuckDB before 2.0 cannot add a column with a constraint in one
    con.execute("alter table links add column must_not_be_null varchar default 'x'")
    con.execute("alter table links alter column must_not_be_null set not null")
    con.execute("alter table links alter column must_not_be_null drop default")
    record = every_item_type("t")
    with pytest.raises(StorageError, match="cannot store a batch of"):
        for item in [*record, page(2)]:
            store.add(item)
    assert con.execute("select count(*) from pages").fetchone()[0] == 0
    assert store.not_stored["pages"] == 2 and store.not_stored["links"] == 1


def test_feed_only_store_writes_batches_and_no_database(tmp_path: Path) -> None:
    with ItemStore(None, "r1", batch_size=10, feed_dir=tmp_path) as store:
        for item in every_item_type("x"):
            store.add(item)
    assert store.counts["pages"] == 1 and store.counts["links"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["part-000001"]
    with pytest.raises(ValueError, match="needs a database connection, a feed folder"):
        ItemStore(None, "r1")


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
