"""A batch the database refuses is kept as a feed file and the run is judged partial."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.pipeline.test_storage_pipeline import close_pipeline, open_pipeline, start_page
from tests.pipeline.test_store import page
from unsilo.items import LinkItem
from unsilo.pipeline.db import StorageError, connect
from unsilo.pipeline.feeds import load_parts
from unsilo.pipeline.run_history import list_runs
from unsilo.pipeline.schema import create_table_sql
from unsilo.pipeline.store import ItemStore


def links(n: int) -> list[LinkItem]:
    return [
        LinkItem("https://shop.example/", f"https://shop.example/{i}", "k", "a") for i in range(n)
    ]


def test_refused_batch_is_kept_and_loads_later(tmp_path: Path) -> None:
    con = connect(":memory:")
    rescue = tmp_path / "rescue"
    store = ItemStore(con, "r1", batch_size=10, rescue_dir=rescue)
    con.execute("drop table links")  # the database now refuses link rows
    for item in links(3):
        store.add(item)
    with pytest.raises(StorageError, match="kept in"):
        store.flush()
    assert store.not_stored["links"] == 3
    con.execute(create_table_sql(LinkItem))
    assert load_parts(con, "r1", rescue)["links"] == 3
    rows = con.execute("select * exclude (run_id) from links order by target_url").fetchall()
    assert rows == [tuple(dataclasses.asdict(i).values()) for i in links(3)]


def test_pipeline_goes_on_and_the_run_is_partial(tmp_path: Path) -> None:
    db = tmp_path / "crawl.duckdb"
    pipe, spider = open_pipeline({"UNSILO_DB": str(db), "UNSILO_BATCH_SIZE": 4})
    assert pipe.con is not None
    pipe.con.execute("drop table links")
    for item in [*links(2), start_page(), page(1)]:
        assert pipe.process_item(item) is item  # no exception reaches Scrapy
    close_pipeline(pipe, spider, "finished")
    (run,) = list_runs(connect(db))
    assert run["status"] == "partial"  # not "failed: never fetched": it was, but not stored
    assert "the start URL's page was not stored" in run["reason"]
    assert "4 rows could not be stored" in run["reason"]
    assert run["pages"] == 0
    kept = list((tmp_path / "unsilo-rescue" / spider.run_id).glob("part-*/links.jsonl"))
    assert len(kept) == 1
    assert load_parts(connect(":memory:"), "again", kept[0].parent.parent)["pages"] == 2
