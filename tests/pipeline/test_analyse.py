"""analyse(): per-run marts built in one transaction, idempotent, other runs untouched;
plus the page_facts staging rules (inlinks through redirects, sitemap, indexable, section)."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.db import prepare_connection
from unsilo.pipeline.models import STAGES, ModelGraph

MARTS = [mart for stage in STAGES for mart in ModelGraph.shipped().build_order(stage)]


def _snapshot(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, list[tuple[Any, ...]]]:
    return {
        mart: sorted(
            con.execute(f"SELECT * FROM {mart} WHERE run_id = $r", {"r": run_id}).fetchall(),
            key=repr,
        )
        for mart in MARTS
    }


def _small_shop(run: Any, extra_pages: int = 0) -> None:
    run.page("/")
    run.page("/gone", status=404, is_html=False)
    run.link("/", "/gone")
    for n in range(extra_pages):
        run.page(f"/p{n}")
        run.link("/", f"/p{n}")
    run.shareable("/")
    run.load()


def test_zero_page_run_gives_empty_marts(duck: duckdb.DuckDBPyConnection) -> None:
    counts = analyse(duck, "empty")
    # totals say "0 pages at each level" (5 levels, scored and indexable pages, no average)
    assert counts == {**dict.fromkeys(MARTS, 0), "trends": 8}
    rows = duck.execute("select measure, value from trends where subject is null").fetchall()
    assert sorted(rows) == [("avg_score", None), ("indexable_pages", 0.0), ("scored_pages", 0.0)]


def test_missing_raw_tables_are_created() -> None:
    con = duckdb.connect()
    prepare_connection(con)
    assert analyse(con, "r1")["page_facts"] == 0
    assert con.execute("SELECT count(*) FROM pages").fetchone() == (0,)


def test_counts_match_rows(duck: duckdb.DuckDBPyConnection, make_run: Any) -> None:
    _small_shop(make_run("r1"), extra_pages=2)
    counts = analyse(duck, "r1")
    for mart in MARTS:
        (n,) = duck.execute(f"SELECT count(*) FROM {mart}").fetchone()
        assert counts[mart] == n
    assert counts["page_facts"] == 4
    assert counts["page_levels"] == 3


def test_reanalysis_is_idempotent(duck: duckdb.DuckDBPyConnection, make_run: Any) -> None:
    _small_shop(make_run("r1"), extra_pages=3)
    first_counts = analyse(duck, "r1")
    first = _snapshot(duck, "r1")
    assert analyse(duck, "r1") == first_counts
    assert _snapshot(duck, "r1") == first


def test_two_runs_are_analysed_independently(
    duck: duckdb.DuckDBPyConnection, make_run: Any
) -> None:
    _small_shop(make_run("a"), extra_pages=1)
    _small_shop(make_run("b"), extra_pages=5)
    counts_a = analyse(duck, "a")
    before = _snapshot(duck, "a")
    counts_b = analyse(duck, "b")
    assert (counts_a["page_facts"], counts_b["page_facts"]) == (3, 7)
    assert _snapshot(duck, "a") == before
    # b's inlinks only count b's links: "/" links 6 pages in b, 2 in a
    (links_in_a,) = duck.execute(
        "SELECT sum(inlinks) FROM page_facts WHERE run_id = 'a'"
    ).fetchone()
    assert links_in_a == 2


def test_reanalysis_replaces_the_runs_rows(duck: duckdb.DuckDBPyConnection, make_run: Any) -> None:
    run = make_run("r1")
    _small_shop(run)
    analyse(duck, "r1")
    run.page("/late")
    run.load()
    assert analyse(duck, "r1")["page_facts"] == 3


def test_failure_rolls_back_and_keeps_previous_marts(
    duck: duckdb.DuckDBPyConnection, make_run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_shop(make_run("r1"), extra_pages=1)
    analyse(duck, "r1")
    before = _snapshot(duck, "r1")
    real = ModelGraph.query

    def broken(graph: ModelGraph, name: str) -> str:
        # reads $run_id like the real models: DuckDB 1.3 and 1.4 check parameters before tables
        broken_model = "select * from no_such_table where run_id = $run_id"
        return broken_model if name == "section_levels" else real(graph, name)

    monkeypatch.setattr(ModelGraph, "query", broken)
    with pytest.raises(duckdb.CatalogException):
        analyse(duck, "r1")
    assert _snapshot(duck, "r1") == before


def test_inlinks_count_distinct_sources_and_follow_redirects(
    make_run: Any, duck: duckdb.DuckDBPyConnection, query: Any
) -> None:
    run = make_run()
    run.page("/")
    run.page("/a")
    run.page("/old", final="/new", hops=[("/old", 301)])
    run.page("/new")
    run.link("/", "/new")
    run.link("/", "/new", anchor="twice from the same page counts once")
    run.link("/a", "/old")
    run.link("/new", "/new", anchor="self-link does not count")
    run.link("/a", "https://elsewhere.example/x", internal=False)
    run.load()
    analyse(duck, "r1")
    got = {r["url"]: r["inlinks"] for r in query("SELECT url, inlinks FROM page_facts")}
    assert got == {run.url("/"): 0, run.url("/a"): 0, run.url("/old"): 1, run.url("/new"): 2}


@pytest.mark.parametrize(
    ("facts", "indexable"),
    [
        ({}, True),
        ({"noindex": True}, False),
        ({"status": 404}, False),
        ({"is_html": False}, False),
        (
            {
                "canonical": "https://shop.example/other",
                "canonical_key": "https://shop.example/other",
            },
            False,
        ),
        ({"canonical": None, "canonical_key": None, "canonicals": []}, True),
    ],
)
def test_indexable_rule(
    make_run: Any, duck: duckdb.DuckDBPyConnection, facts: dict[str, Any], indexable: bool
) -> None:
    run = make_run()
    run.page("/p", **facts)
    run.load()
    analyse(duck, "r1")
    assert duck.execute("SELECT indexable FROM page_facts").fetchone() == (indexable,)


def test_redirected_row_is_content_only_when_its_target_was_not_fetched(
    make_run: Any, duck: duckdb.DuckDBPyConnection, query: Any
) -> None:
    run = make_run()
    run.page("/", final="/home", hops=[("/", 301)])
    run.page("/old", final="/new", hops=[("/old", 301)])
    run.page("/new")
    run.load()
    analyse(duck, "r1")
    got = {r["url"]: r["indexable"] for r in query("SELECT url, indexable FROM page_facts")}
    assert got == {run.url("/"): True, run.url("/old"): False, run.url("/new"): True}


def test_in_sitemap_by_own_or_final_key(
    make_run: Any, duck: duckdb.DuckDBPyConnection, query: Any
) -> None:
    run = make_run()
    run.page("/a/")
    run.page("/b")
    run.page("/old", final="/moved", hops=[("/old", 301)])
    run.sitemap("/a")  # same key as /a/ (trailing slash policy)
    run.sitemap("/moved")
    run.load()
    analyse(duck, "r1")
    got = {r["url"]: r["in_sitemap"] for r in query("SELECT url, in_sitemap FROM page_facts")}
    assert got == {run.url("/a/"): True, run.url("/b"): False, run.url("/old"): True}


@pytest.mark.parametrize(
    ("path", "facts", "og_type", "section"),
    [
        ("/", {}, None, "home"),
        ("/x", {"structured_data_types": ["Product", "BreadcrumbList"]}, None, "product"),
        ("/x", {"structured_data_types": ["https://schema.org/BlogPosting"]}, None, "article"),
        ("/x", {}, "product", "product"),
        ("/x", {}, "article", "article"),
        ("/collections/shoes/products/red-shoe", {}, None, "product"),
        ("/blogs/news/summer", {}, None, "article"),
        ("/collections/shoes", {}, None, "category"),
        ("/about-us", {}, "website", "other"),
        ("/blog", {}, None, "other"),
        ("/categories", {}, None, "other"),
        ("/c/lamps", {}, None, "category"),
    ],
)
def test_section(
    make_run: Any,
    duck: duckdb.DuckDBPyConnection,
    path: str,
    facts: dict[str, Any],
    og_type: str | None,
    section: str,
) -> None:
    run = make_run()
    run.page(path, **facts)
    if og_type:
        run.social(path, og=run.og(path, og_type=og_type))
    run.load()
    analyse(duck, "r1")
    assert duck.execute("SELECT section FROM page_facts").fetchone() == (section,)


def test_rows_with_missing_fields_still_analyse(
    duck: duckdb.DuckDBPyConnection, query: Any
) -> None:
    """Feed lines may lack fields; read_json makes them NULL, and no fact may turn NULL."""
    duck.execute(
        "INSERT INTO pages (run_id, url, url_key, status, depth, found_via) VALUES "
        "('r1', 'https://shop.example/', 'https://shop.example/', 200, 0, 'start')"
    )
    counts = analyse(duck, "r1")
    assert counts["page_facts"] == 1
    (row,) = query("SELECT * FROM page_facts")
    assert (row["is_html"], row["indexable"], row["is_start"]) == (False, False, True)
    assert row["final_url_key"] == row["url_key"]
    assert [r["check"] for r in query("SELECT * FROM findings")] == ["start_not_html"]


SYNTHETIC_PAGES_SQL = """
INSERT INTO pages BY NAME
SELECT $run_id AS run_id,
  'https://shop.example/p/' || i AS url, 'https://shop.example/p/' || i AS url_key,
  'https://shop.example/p/' || i AS final_url, 'https://shop.example/p/' || i AS final_url_key,
  CASE WHEN i % 97 = 1 THEN 404 WHEN i % 991 = 1 THEN 500 ELSE 200 END AS status,
  'text/html' AS content_type, true AS is_html, CASE WHEN i = 0 THEN 0 ELSE 1 + i % 7 END AS depth,
  CASE WHEN i = 0 THEN 'start' ELSE 'link' END AS found_via,
  'Product number ' || (i % ($pages // 2)) || ' at the example shop' AS title,
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'Description ' || i END AS meta_description,
  i % 11 = 0 AS noindex, 'https://shop.example/p/' || i AS canonical_key,
  CASE WHEN i % 5 = 0 THEN NULL ELSE 'en' END AS lang,
  CASE WHEN i % 13 = 0 THEN [] ELSE ['H ' || i] END AS h1, i % 3 AS images_missing_alt
FROM range($pages) AS t(i)
"""
SYNTHETIC_LINKS_SQL = """
INSERT INTO links BY NAME
SELECT $run_id AS run_id, 'https://shop.example/p/' || (i % $pages) AS source_url_key,
  'https://shop.example/p/' || (hash(i) % ($pages + $pages // 200)) AS target_url_key,
  'https://shop.example/p/' || (hash(i) % ($pages + $pages // 200)) AS target_url,
  'anchor' AS anchor, true AS internal
FROM range($links) AS t(i)
"""
SYNTHETIC_SOCIAL_SQL = """
INSERT INTO page_social BY NAME
SELECT $run_id AS run_id, 'https://shop.example/p/' || i AS url_key,
  CASE WHEN i % 2 = 0 THEN [
    {'property': 'og:title', 'content': 'T'}, {'property': 'og:type', 'content': 'product'},
    {'property': 'og:image', 'content': 'https://shop.example/i.jpg'},
    {'property': 'og:url', 'content': 'https://shop.example/p/' || i}] ELSE [] END AS og,
  CASE WHEN i % 2 = 0 THEN 'https://shop.example/p/' || i END AS og_url_key,
  CASE WHEN i % 3 = 0 THEN [{'platform': 'x', 'url': 'https://x.com/intent/post'}]
    ELSE [] END AS share_links
FROM range($pages) AS t(i)
"""


def synthetic_run(con: duckdb.DuckDBPyConnection, run_id: str, pages: int, links: int) -> None:
    """A generated shop: pages, links (some to uncrawled URLs), and OG on half the pages."""
    for sql in (SYNTHETIC_PAGES_SQL, SYNTHETIC_SOCIAL_SQL):
        con.execute(sql, {"run_id": run_id, "pages": pages})
    con.execute(SYNTHETIC_LINKS_SQL, {"run_id": run_id, "pages": pages, "links": links})


def test_generated_run_keeps_invariants(duck: duckdb.DuckDBPyConnection, query: Any) -> None:
    synthetic_run(duck, "gen", pages=2_000, links=40_000)
    counts = analyse(duck, "gen")
    assert counts["page_facts"] == 2_000
    (indexable,) = duck.execute("SELECT count(*) FROM page_facts WHERE indexable").fetchone()
    assert counts["page_levels"] == indexable
    direct = query(
        "SELECT target_url_key AS url_key, count(DISTINCT source_url_key) AS n FROM links "
        "WHERE source_url_key <> target_url_key GROUP BY ALL"
    )
    by_key = {r["url_key"]: r["inlinks"] for r in query("SELECT * FROM page_facts")}
    assert {r["url_key"]: r["n"] for r in direct if r["url_key"] in by_key} == {
        k: n for k, n in by_key.items() if n
    }
    levels = {r["level"] for r in query("SELECT DISTINCT level FROM page_levels")}
    assert levels == {"siloed", "shareable"}


def test_depth_is_click_depth_from_the_start_url(
    make_run: Any, duck: duckdb.DuckDBPyConnection, query: Any
) -> None:
    run = make_run()
    run.page("/")
    chain = ["/", "/a", "/b", "/c", "/d", "/e"]
    for path in chain[1:]:
        run.page(path, depth=1, found_via="sitemap")  # found early, but buried in clicks
    for source, target in zip(chain, chain[1:], strict=False):
        run.link(source, target)
    run.link("/e", "/")  # a cycle back home changes nothing
    run.link("/", "/c")  # a shortcut does
    run.page("/old", final="/new", hops=[("/old", 301)], depth=7)
    run.page("/new", depth=7)
    run.link("/a", "/old")
    run.page("/island", depth=3, found_via="sitemap")
    run.load()
    analyse(duck, "r1")
    got = {
        r["url"].removeprefix(run.site): (r["depth"], r["crawl_depth"])
        for r in query("SELECT url, depth, crawl_depth FROM page_facts")
    }
    assert got == {
        "/": (0, 0),
        "/a": (1, 1),
        "/b": (2, 1),
        "/c": (1, 1),
        "/d": (2, 1),
        "/e": (3, 1),
        "/old": (2, 7),
        "/new": (2, 7),
        "/island": (3, 3),
    }


def test_mart_from_an_older_version_gains_new_columns(
    duck: duckdb.DuckDBPyConnection, make_run: Any, query: Any
) -> None:
    _small_shop(make_run("r1"))
    analyse(duck, "r1")
    duck.execute("ALTER TABLE page_facts DROP COLUMN crawl_depth")
    duck.execute("ALTER TABLE findings DROP COLUMN detail")
    analyse(duck, "r1")
    assert {r["crawl_depth"] for r in query("SELECT crawl_depth FROM page_facts")} == {0, 1}
    details = query("""SELECT detail FROM findings WHERE "check" = 'broken_internal_link'""")
    assert details == [{"detail": "https://shop.example/gone"}]
