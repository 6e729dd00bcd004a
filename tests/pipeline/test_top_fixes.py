"""page_value and the report queries over it: what a page is worth, findings grouped by
section, and "Top fixes" ranked by impact on a small shop whose main problem is Open Graph."""

from __future__ import annotations

import math
from typing import Any

import duckdb
import pytest

from tests.pipeline.conftest import SITE, RunBuilder, og_props
from unsilo.items import MetaProperty
from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.queries import run_sql

PRODUCTS = 150
CARD = [MetaProperty("twitter:card", "summary_large_image")]


def records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def social_page(run: RunBuilder, path: str, *, og: bool = True) -> None:
    """A page that is right in every social respect, but for Open Graph when ``og`` is False."""
    run.page(path)
    og_tags = og_props(path) if og else []
    run.social(path, og=og_tags, twitter=CARD, share_links=run.share_link(path))
    run.profile(path, "instagram", "shop", source="rel-me")


@pytest.fixture
def og_shop(make_run: Any, duck: duckdb.DuckDBPyConnection) -> str:
    """Home, three categories, 150 product pages without Open Graph, and a few crawl errors."""
    run = make_run("og-shop")
    social_page(run, "/")
    for c in range(3):
        social_page(run, f"/collections/c{c}")
        run.link("/", f"/collections/c{c}")
        run.link(f"/collections/c{c}", "/")
    for p in range(PRODUCTS):
        social_page(run, f"/products/p{p}", og=False)
        run.link(f"/collections/c{p % 3}", f"/products/p{p}")
        run.link(f"/products/p{p}", "/")
        run.sitemap(f"/products/p{p}")
    run.page("/boom", status=500, is_html=False)
    run.page("/gone", status=404, is_html=False)
    run.link("/", "/boom")
    run.link("/", "/gone")
    run.load()
    analyse(duck, run.run_id)
    return run.run_id


def test_page_value_parts_add_up(og_shop: str, duck: duckdb.DuckDBPyConnection) -> None:
    rows = records(duck.execute("select * from page_value where run_id = $r", {"r": og_shop}))
    by_path = {r["url"].removeprefix(SITE): r for r in rows}
    assert len(rows) == len(by_path) == 1 + 3 + PRODUCTS + 2  # one row per page
    product = by_path["/products/p0"]
    assert (product["content_inlinks"], product["in_sitemap"]) == (1, True)  # its category
    assert product["page_value"] == pytest.approx(1 + math.log(2) + 0.5)
    assert by_path["/"]["content_inlinks"] == 3 + PRODUCTS
    gone = by_path["/gone"]
    assert (gone["indexable_weight"], gone["link_weight"]) == (0.25, pytest.approx(math.log(2)))
    assert {r["shared_weight"] for r in rows} == {0}  # until the social-signals step fills it
    for r in rows:
        parts = r["indexable_weight"] + r["link_weight"] + r["sitemap_weight"] + r["shared_weight"]
        assert r["page_value"] == pytest.approx(parts)


def test_missing_open_graph_on_the_products_is_the_top_fix(og_shop: str, duck) -> None:
    fixes = records(run_sql(duck, "report_top_fixes", run_id=og_shop, limit=5, examples=3))
    top = fixes[0]
    assert (top["check"], top["section"], top["pages"], top["section_pages"]) == (
        "og_incomplete",
        "product",
        PRODUCTS,
        PRODUCTS,
    )
    assert top["summary"] == "Open Graph incomplete" and len(top["examples"]) == 3
    checks = [f["check"] for f in fixes]
    assert checks.index("status_5xx") > 0 and checks.index("broken_internal_link") > 0
    assert [f["impact"] for f in fixes] == sorted((f["impact"] for f in fixes), reverse=True)


def test_a_template_wide_finding_is_one_group_per_section(og_shop: str, duck) -> None:
    groups = records(run_sql(duck, "report_finding_groups", run_id=og_shop, examples=5))
    og = [g for g in groups if g["check"] == "og_incomplete"]
    assert [(g["section"], g["findings"], g["section_pages"]) for g in og] == [
        ("product", PRODUCTS, PRODUCTS)
    ]
    assert len(og[0]["examples"]) == 5
    # one 5xx page: below the section threshold, its own group without a section
    [boom] = [g for g in groups if g["check"] == "status_5xx"]
    assert (boom["section"], boom["findings"]) == (None, 1)


def test_few_hits_in_a_section_stay_in_the_checks_own_group(make_run: Any, duck) -> None:
    run = make_run("few")
    for p in range(4):  # under the threshold of 5
        run.page(f"/products/p{p}")
    run.page("/")
    run.load()
    analyse(duck, run.run_id)
    groups = records(run_sql(duck, "report_finding_groups", run_id="few", examples=5))
    og = [(g["section"], g["findings"]) for g in groups if g["check"] == "og_incomplete"]
    assert og == [(None, 5)]
