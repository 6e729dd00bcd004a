"""The signals sections of a report over a really analysed run: raw signal rows go through the
real models (page_signals, page_levels, broken_bridge findings) into what a reader sees."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup

from tests.pipeline.conftest import RunBuilder
from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.db import prepare_connection
from unsilo.pipeline.schema import RUNS_SQL, TABLES, create_table_sql
from unsilo.reports.render import render_report


@pytest.fixture
def raw() -> Iterator[duckdb.DuckDBPyConnection]:
    """Only the raw tables, as a crawl leaves them: the analysis builds every mart."""
    con = duckdb.connect()
    prepare_connection(con)
    con.execute(RUNS_SQL)
    for item_type in TABLES.values():
        con.execute(create_table_sql(item_type))
    yield con
    con.close()


def test_a_shared_404_is_a_broken_bridge_and_a_shared_page_lists_its_sources(raw, tmp_path):
    run = RunBuilder(raw, "r1", tmp_path)
    raw.execute(
        "insert into runs (run_id, start_url, site, started_at, status, settings)"
        " values ('r1', 'https://shop.example/', 'shop.example', $1, 'complete', '{}')",
        [datetime(2026, 11, 1, 2, 0)],
    )
    run.page("/")
    run.page("/mug")
    run.page("/gone", status=404, is_html=False)
    run.shareable("/mug")
    run.signal("/mug", comments=6, permalink="https://news.example/item?id=7", item_id="7")
    run.signal("/gone", source="lemmy", permalink="javascript:alert(1)", item_id="l1")
    run.answered("reddit", status="needs token")
    run.load()
    analyse(raw, "r1")
    path = render_report(raw, "r1", tmp_path / "out" / "report.html")
    soup = BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")

    [bridge] = soup.select("#bridge-table tr.bridge")
    assert bridge.select_one(".short-url")["title"] == "https://shop.example/gone"
    assert "Shared 1 time (Lemmy)" in bridge.select_one("td.why").get_text()
    assert bridge.select_one("td.shares a") is None  # its javascript: permalink stays text

    statuses = {
        tr["data-source"]: tr["data-status"] for tr in soup.select("#signal-sources tbody tr")
    }
    assert statuses == {"hackernews": "ok", "lemmy": "ok", "reddit": "needs token"}

    mug = next(
        tr
        for tr in soup.select("#page-table tr.page-row")
        if tr.find("a", href="https://shop.example/mug")
    )
    lines = {li.get("data-source", "none"): li for li in mug.select("ul.page-signals li")}
    assert lines["hackernews"].a["href"] == "https://news.example/item?id=7"
    assert "6 comments" in lines["hackernews"].get_text()
    assert lines["reddit"]["data-status"] == "unknown"
    assert lines["none"].get_text(strip=True) == "asked, nothing found: Lemmy"
    [shared] = soup.select("#most-shared tbody tr")
    assert shared.a["href"] == "https://shop.example/mug"
