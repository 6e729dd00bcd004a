"""Which run a report compares with (``unsilo.pipeline.comparison``): each wrong comparison
seen in use (issue 9) as a case, on run rows written directly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import duckdb
import pytest

from tests.pipeline.conftest import insert_run
from unsilo.pipeline.comparison import ComparisonError, choose_comparison, site_of
from unsilo.pipeline.db import connect
from unsilo.pipeline.run_history import latest_run

SCOPE = {"start_url": "https://de.shop.example/", "max_pages": None, "signal_sources": []}


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(":memory:")
    yield connection
    connection.close()


def add_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    month: int,
    *,
    url: str = "https://de.shop.example/",
    status: str = "complete",
    **facts: Any,
) -> str:
    """A run of 2026-``month``-01; keyword arguments not of ``insert_run`` are its scope."""
    own = {k: facts.pop(k) for k in ("pages", "analysed", "pruned") if k in facts}
    return insert_run(
        con,
        run_id,
        datetime(2026, month, 1),
        url=url,
        status=status,
        reason="page limit reached (361 pages)" if status == "partial" else None,
        settings={**SCOPE, "start_url": url, **facts},
        **own,
    )


def test_a_run_crawled_but_never_analysed_is_not_compared_with(con) -> None:
    # `unsilo crawl` then `unsilo audit`: the crawl's run has no levels ("previous 0")
    add_run(con, "jan", 1)
    add_run(con, "crawled", 2, analysed=False)
    add_run(con, "audited", 2)
    assert choose_comparison(con, "audited").run_id == "jan"
    add_run(con, "alone", 5, url="https://new.example/")
    assert choose_comparison(con, "alone") is None


def test_an_interrupted_run_is_passed_over_for_the_last_complete_one(con) -> None:
    add_run(con, "jan", 1)
    add_run(con, "feb-ctrl-c", 2, status="partial", pages=361)
    got = choose_comparison(con, add_run(con, "mar", 3))
    assert (got.run_id, got.common, got.notes) == ("jan", False, ())


def test_a_partial_run_as_the_only_match_is_compared_page_by_page_with_a_note(con) -> None:
    add_run(con, "feb-ctrl-c", 2, status="partial", pages=361)
    got = choose_comparison(con, add_run(con, "mar", 3))
    assert got.run_id == "feb-ctrl-c" and got.common
    assert got.notes == ("It is partial (page limit reached (361 pages)).",)


def test_this_run_partial_is_compared_page_by_page(con) -> None:
    add_run(con, "jan", 1)
    got = choose_comparison(con, add_run(con, "feb", 2, status="partial"))
    assert got.run_id == "jan" and got.common and got.notes == ("This run is partial.",)


def test_sites_are_told_apart_by_host_not_registrable_domain(con) -> None:
    add_run(con, "dk-jan", 1, url="https://dk.shop.example/")
    add_run(con, "http-jan", 1, url="http://de.shop.example/")
    assert choose_comparison(con, add_run(con, "de-feb", 2)) is None
    assert site_of("https://DE.shop.example:8443/x") == "https://de.shop.example"


def test_same_scope_wins_over_a_newer_run_asked_something_else(con) -> None:
    add_run(con, "jan", 1)
    add_run(con, "feb-capped", 2, max_pages=100)
    got = choose_comparison(con, add_run(con, "mar", 3))
    assert got.run_id == "jan" and not got.common


def test_a_run_of_another_scope_is_compared_page_by_page_and_named(con) -> None:
    add_run(con, "jan-capped", 1, max_pages=100, include=["/sko/"])
    got = choose_comparison(con, add_run(con, "feb", 2))
    assert got.run_id == "jan-capped" and got.common
    (note,) = got.notes
    assert "max_pages 100 → none" in note and "include /sko/ → none" in note


def test_empty_and_failed_runs_are_never_compared_with_nor_the_latest(con) -> None:
    add_run(con, "jan", 1)
    add_run(con, "social-only", 2, pages=0, url="https://de.shop.example/")
    add_run(con, "failed", 3, status="failed", pages=1)
    assert latest_run(con) == "jan"
    got = choose_comparison(con, add_run(con, "apr", 4))
    assert got.run_id == "jan"


def test_compare_names_the_run_and_its_differences(con) -> None:
    add_run(con, "jan", 1)
    add_run(con, "feb-dk", 2, url="https://dk.shop.example/")
    add_run(con, "mar", 3)
    got = choose_comparison(con, "mar", explicit="feb-dk")
    assert got.run_id == "feb-dk" and got.common
    assert got.notes[0] == "It is a run of another site (https://dk.shop.example)."
    with pytest.raises(ComparisonError, match="no run 'nope'"):
        choose_comparison(con, "mar", explicit="nope")
    add_run(con, "raw", 2, analysed=False)
    with pytest.raises(ComparisonError, match="never analysed"):
        choose_comparison(con, "mar", explicit="raw")


def test_a_pruned_run_is_compared_only_like_for_like(con) -> None:
    add_run(con, "jan", 1, pruned=True)
    assert choose_comparison(con, add_run(con, "feb", 2)).run_id == "jan"  # totals remain
    assert choose_comparison(con, add_run(con, "mar", 3, status="partial")).run_id == "feb"
    add_run(con, "old-capped", 1, max_pages=5, pruned=True, url="https://x.example/")
    assert choose_comparison(con, add_run(con, "x-feb", 2, url="https://x.example/")) is None
