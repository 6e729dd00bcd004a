"""A batch the database refuses is kept as a feed file and the run is judged partial."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.pipeline.test_store import close_pipeline, open_pipeline, page
from unsilo.items import LinkItem
from unsilo.pipeline.db import StorageError, connect
from unsilo.pipeline.feeds import load_feeds
from unsilo.pipeline.runs import list_runs
from unsilo.pipeline.schema import create_table_sql
from unsilo.pipeline.store import ItemStore


def links(n: int) -> list[LinkItem]:
    return [
        LinkItem("https://shop.example/", f"https://shop.example/{i}", "k", "a") for i in range(n)
    ]


def test_refused_batch_is_kept_and_loads_later(tmp_path: Path) -> None:
    con = connect(":memory:")
    rescue = tmp_path / "rescue"
    store = ItemStore(con, "r1", batch_size=3, rescue_dir=rescue)
    con.execute("drop table links")  # the database now refuses link rows
    with pytest.raises(StorageError, match="kept in"):
        for item in links(3):
            store.add(item)
    assert store.not_stored["links"] == 3
    con.execute(create_table_sql(LinkItem))
    assert load_feeds(con, "r1", rescue)["links"] == 3
    rows = con.execute("select * exclude (run_id) from links order by target_url").fetchall()
    assert rows == [tuple(dataclasses.asdict(i).values()) for i in links(3)]


def test_pipeline_goes_on_and_the_run_is_partial(tmp_path: Path) -> None:
    db = tmp_path / "crawl.duckdb"
    pipe, spider = open_pipeline({"UNSILO_DB": str(db), "UNSILO_BATCH_SIZE": 2})
    assert pipe.con is not None
    pipe.con.execute("drop table links")
    for item in [*links(2), page(1), page(2)]:
        assert pipe.process_item(item) is item  # no exception reaches Scrapy
    pipe.con.execute(create_table_sql(LinkItem))
    close_pipeline(pipe, spider, "finished")
    (run,) = list_runs(connect(db))
    assert run["status"] == "partial" and "2 rows could not be stored" in run["reason"]
    assert run["pages"] == 2
    kept = list((tmp_path / "unsilo-rescue" / spider.run_id / "links").glob("*.jsonl"))
    assert len(kept) == 1
