"""Checks that need a whole crawl: a crawl stopped by a limit or an interruption yields none
of them (they would exist only because pages were never fetched), and the run row records
whether the shop crawl itself was whole, apart from its follow-up steps."""

from __future__ import annotations

from typing import Any

import duckdb

from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.queries import run_sql
from unsilo.pipeline.run_rows import start_run
from unsilo.pipeline.runs import finish_crawl_run


def orphan_run(make_run: Any) -> Any:
    run = make_run()
    run.page("/")
    run.page("/linked")
    run.link("/", "/linked")
    for path in ("/", "/linked", "/not-reached", "/dead"):
        run.sitemap(path)
    run.page("/dead", status=404, is_html=False, found_via="sitemap")
    return run


def checks(duck: duckdb.DuckDBPyConnection, run_id: str) -> set[tuple[str, str]]:
    rows = duck.execute(
        "select url, \"check\" from findings where run_id = $r and category <> 'social'",
        {"r": run_id},
    ).fetchall()
    return {(url.rsplit("/", 1)[-1], check) for url, check in rows}


def test_a_capped_crawl_has_no_sitemap_orphans_and_the_report_names_what_was_skipped(
    duck: duckdb.DuckDBPyConnection, make_run: Any
) -> None:
    run = orphan_run(make_run)
    start_run(duck, start_url=run.url("/"), site="shop.example", settings={"max_pages": 2},
              run_id=run.run_id)  # fmt: skip
    run.load()
    status, reason = finish_crawl_run(duck, run.run_id, {"finish_reason": "closespider_pagecount"})
    assert status == "partial" and "page limit reached (2 pages)" in reason
    analyse(duck, run.run_id)
    got = checks(duck, run.run_id)
    assert ("not-reached", "sitemap_orphan") not in got and ("dead", "sitemap_orphan") not in got
    assert {("dead", "status_4xx"), ("dead", "sitemap_not_ok")} <= got  # seen, so still true
    skipped = [
        r[0] for r in run_sql(duck, "report_suppressed_checks", run_id=run.run_id).fetchall()
    ]
    assert skipped == ["deep_page", "hreflang_no_return", "sitemap_orphan"]


def test_a_whole_crawl_keeps_them_even_when_a_later_step_stopped_early(
    duck: duckdb.DuckDBPyConnection, make_run: Any
) -> None:
    run = orphan_run(make_run)
    start_run(duck, start_url=run.url("/"), site="shop.example", settings={}, run_id=run.run_id)
    run.load()
    steps = {"signals": ("closespider_timeout", None)}
    status, _ = finish_crawl_run(duck, run.run_id, {"finish_reason": "finished"}, steps=steps)
    assert status == "partial"  # the signals were read in part ...
    (whole,) = duck.execute("select crawl_whole from runs").fetchone()
    assert whole  # ... but every page was crawled
    analyse(duck, run.run_id)
    assert {("not-reached", "sitemap_orphan"), ("dead", "sitemap_orphan")} <= checks(
        duck, run.run_id
    )
    assert run_sql(duck, "report_suppressed_checks", run_id=run.run_id).fetchall() == []
