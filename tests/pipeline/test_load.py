"""Loading feeds: a job folder becomes the run it recorded, judged from its own stats, with
the rows storing it directly would have given; an unreadable feed records no run."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import duckdb
import pytest

from tests.feed_jobs import shop_items, write_job
from unsilo.pipeline.db import connect
from unsilo.pipeline.feeds import batch_files
from unsilo.pipeline.load import (
    LOAD_THREADS,
    LoadError,
    load_feeds,
    load_job,
    prepare_for_loading,
)
from unsilo.pipeline.mixed_feed import load_feed_file
from unsilo.pipeline.runs import NO_STATS
from unsilo.pipeline.schema import TABLES
from unsilo.pipeline.store import ItemStore


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return connect(":memory:")


def rows(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, list[tuple]]:
    return {
        table: con.execute(
            f"select * exclude (run_id) from {table} where run_id = $r order by all", {"r": run_id}
        ).fetchall()
        for table in TABLES
    }


def runs(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("select run_id, status, reason, pages from runs order by all").fetchall()


def test_a_loaded_job_equals_the_same_items_stored_directly(con, tmp_path: Path) -> None:
    items = shop_items(pages=5)
    job = write_job(tmp_path, "2026-11-24T090000Z-aaaaaa", items)
    with ItemStore(con, "direct") as store:
        for item in items:
            store.add(item)
    run_id, counts = load_job(con, job)
    assert run_id == "2026-11-24T090000Z-aaaaaa"
    assert {t: n for t, n in counts.items() if n} == {
        "pages": 5,
        "links": 10,
        "page_social": 3,
        "sitemap_urls": 5,
    }
    assert rows(con, run_id) == rows(con, "direct")
    assert runs(con) == [(run_id, "complete", None, 5)]


@pytest.mark.parametrize(
    ("stats", "max_pages", "reason"),
    [
        ({"finish_reason": "cancelled"}, None, "crawl stopped early: cancelled"),
        (
            {"finish_reason": "closespider_pagecount"},
            3,
            "page limit reached (3 pages): the shop may hold more than was crawled",
        ),
        (None, None, f"{NO_STATS}; every linked URL was fetched"),
    ],
    ids=["cancelled", "page-limit", "no-stats"],
)
def test_a_job_that_did_not_finish_loads_partial_with_the_reason(
    con, tmp_path: Path, stats: dict | None, max_pages: int | None, reason: str
) -> None:
    job = write_job(tmp_path, "r1", shop_items(), stats=stats, max_pages=max_pages)
    load_job(con, job)
    assert runs(con) == [("r1", "partial", reason, 3)]


def test_an_unreadable_batch_records_no_run(con, tmp_path: Path) -> None:
    job = write_job(tmp_path, "r1", shop_items())
    last_links = Path(batch_files(job, "links")[-1])
    with last_links.open("a", encoding="utf-8") as out:
        out.write('{"source_url_key": "https://shop.example/", "target_url": \n')
    with pytest.raises(LoadError, match=f"^cannot read {job}: "):
        load_job(con, job)
    assert runs(con) == []
    assert all(not found for found in rows(con, "r1").values())


def test_an_error_after_loaded_jobs_names_what_was_kept_and_what_was_not(
    con, tmp_path: Path
) -> None:
    first, broken, last = (write_job(tmp_path, name, shop_items()) for name in ("a", "b", "c"))
    Path(batch_files(broken, "pages")[0]).write_text("{not json}\n", encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        load_feeds(con, [first, broken, last], [], start_url="", stats=None)
    assert str(raised.value).startswith(f"cannot read {broken}: ")
    assert str(raised.value).endswith(
        f"; loaded before it (kept): {first} as run a; not loaded: {broken}, {last}"
    )
    assert [r[:2] for r in runs(con)] == [("a", "complete")]


def test_jobs_are_all_checked_before_any_is_loaded(con, tmp_path: Path) -> None:
    """A copied job folder (the same run twice) is found before anything is loaded."""
    job = write_job(tmp_path / "feeds", "r1", shop_items())
    copy = write_job(tmp_path / "copy", "r1", shop_items())
    with pytest.raises(LoadError, match=f"^{copy} and {job} hold the same run r1$"):
        load_feeds(con, [job, copy], [], start_url="", stats=None)
    assert runs(con) == []


def setting(con: duckdb.DuckDBPyConnection, name: str) -> str:
    return con.execute("select current_setting($n)", {"n": name}).fetchone()[0]


def test_a_loading_connection_has_capped_memory_and_a_place_to_spill(tmp_path: Path) -> None:
    con = connect(tmp_path / "shop.duckdb")
    reference = duckdb.connect()
    reference.execute("SET memory_limit = '300MB'")
    con.execute("SET threads = 8")
    prepare_for_loading(con, "300MB")
    assert setting(con, "memory_limit") == setting(reference, "memory_limit")
    assert setting(con, "threads") == LOAD_THREADS
    assert setting(con, "temp_directory") == str(tmp_path / "shop.duckdb.tmp")
    # a temp folder that cannot be made (its parent is a file) is replaced
    (tmp_path / "a-file").write_text("")
    con.execute("SET temp_directory = $d", {"d": str(tmp_path / "a-file" / "tmp")})
    prepare_for_loading(con)
    assert Path(setting(con, "temp_directory")).parent == Path(tempfile.gettempdir())


def test_a_mixed_feed_bigger_than_the_memory_limit_streams_in(tmp_path: Path) -> None:
    """No step holds the whole file: a feed well over DuckDB's memory limit loads under it."""
    path = tmp_path / "items.jsonl"
    line = json.dumps(
        {
            "page": {"url": "u", "url_key": "u", "final_url": "u", "final_url_key": "u"},
            "links": [{"source_url_key": "u", "target_url": "x" * 200} for _ in range(10)],
            "social": None,
            "profile_links": [],
        }
    )
    with path.open("w", encoding="utf-8") as out:
        for _ in range(100):
            out.write((line + "\n") * 1_000)
    assert path.stat().st_size > 200 * 2**20
    con = connect(tmp_path / "shop.duckdb")
    prepare_for_loading(con, "128MB")
    counts = load_feed_file(con, "r1", path)
    assert (counts["pages"], counts["links"]) == (100_000, 1_000_000)
