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


def test_a_database_that_refuses_the_batches_keeps_them_for_the_resume(tmp_path: Path) -> None:
    """The crawl writes its batches; storing them at the end fails: nothing is lost."""
    db = tmp_path / "crawl.duckdb"
    jobdir = tmp_path / "job"
    pipe, spider = open_pipeline(
        {"UNSILO_DB": str(db), "UNSILO_BATCH_SIZE": 4, "JOBDIR": str(jobdir)}
    )
    assert pipe.con is None  # no DuckDB work beside the crawl
    for item in [*links(2), start_page(), page(1)]:
        assert pipe.process_item(item) is item
    con = connect(db)  # the database now refuses link rows
    # three steps: DuckDB before 2.0 cannot add a column with a constraint in one
    con.execute("alter table links add column must_not_be_null varchar default 'x'")
    con.execute("alter table links alter column must_not_be_null set not null")
    con.execute("alter table links alter column must_not_be_null drop default")
    con.close()
    close_pipeline(pipe, spider, "finished")
    (run,) = list_runs(connect(db))
    assert run["status"] == "partial"  # not "failed: never fetched": it was, but not stored
    assert "the start URL's page was not stored" in run["reason"]
    assert "4 rows could not be stored" in run["reason"]
    assert "stored when the run is resumed" in run["reason"]
    assert run["pages"] == 0
    assert len(list(pipe.job_dir.glob("part-*/links.jsonl"))) == 1  # kept

    con = connect(db)  # the database takes link rows again
    con.execute("alter table links drop column must_not_be_null")
    con.close()
    again, resumed = open_pipeline({"UNSILO_DB": str(db), "JOBDIR": str(jobdir)})
    assert resumed.run_id == spider.run_id
    close_pipeline(again, resumed, "finished")
    (run,) = list_runs(connect(db))
    assert (run["status"], run["pages"]) == ("complete", 2)
    assert connect(db).execute("select count(*) from links").fetchone()[0] == 2
