"""The SQL model graph: the run order derived from what each file reads is valid, and a file
that reads a relation built after it, an unknown relation, or a cycle fails with a clear error."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from unsilo.pipeline.models import SOURCES, STAGES, ModelGraph, ModelGraphError, relations_read


def write_models(root: Path, files: dict[str, str]) -> Path:
    """A model folder from ``{"marts/site/a.sql": "select ..."}``."""
    for relative, sql in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    return root


def test_shipped_order_builds_every_mart_after_what_it_reads() -> None:
    graph = ModelGraph.shipped()
    built: set[str] = set(SOURCES) | set(graph.seeds())
    for stage in STAGES:
        for mart in graph.build_order(stage):
            assert graph._inputs(mart) <= built, mart
            built.add(mart)
    assert {"page_facts", "findings", "page_levels", "profile_health"} <= built


def test_shipped_stage_order() -> None:
    graph = ModelGraph.shipped()
    order = [mart for stage in STAGES for mart in graph.build_order(stage)]
    assert order.index("page_facts") < order.index("findings")
    assert order.index("shop_profiles") < order.index("page_levels") < order.index("section_levels")
    # the joined audit comes last: it reads the profiles' marts, which read the site's
    assert order.index("shop_post_links") < order.index("page_levels")


def test_reports_and_queries_read_only_stored_relations() -> None:
    graph = ModelGraph.shipped()
    stored = set(SOURCES) | {n for n, m in graph.models.items() if m.kind in ("seed", "mart")}
    queries = [m for m in graph.models.values() if m.kind == "query"]
    assert queries and all(m.reads <= stored for m in queries)


def test_own_ctes_are_not_relations() -> None:
    sql = "with pages as (select 1 as x), b as (select * from pages) select * from b, runs"
    assert relations_read(sql) == {"runs"}


def test_a_mart_reading_a_later_stage_fails(tmp_path: Path) -> None:
    root = write_models(
        tmp_path,
        {
            "marts/site/early.sql": "select * from late",
            "marts/social/late.sql": "select * from pages",
        },
    )
    with pytest.raises(ModelGraphError, match=r"marts/site/early.sql reads late, which "
                       r"marts/social/ builds after it"):  # fmt: skip
        ModelGraph(root)


def test_a_step_that_reads_a_later_mart_fails_where_it_is_inlined(tmp_path: Path) -> None:
    root = write_models(
        tmp_path,
        {
            "intermediate/int_x.sql": "select * from late",
            "marts/site/early.sql": "select * from int_x",
            "marts/social/late.sql": "select * from pages",
        },
    )
    with pytest.raises(ModelGraphError, match="early.sql reads late, which marts/social/"):
        ModelGraph(root)


def test_an_unknown_relation_fails(tmp_path: Path) -> None:
    root = write_models(tmp_path, {"marts/site/a.sql": "select * from pagez"})
    with pytest.raises(ModelGraphError, match="a.sql reads pagez, which is neither a raw table"):
        ModelGraph(root)


def test_a_cycle_fails(tmp_path: Path) -> None:
    root = write_models(
        tmp_path,
        {"marts/site/a.sql": "select * from b", "marts/site/b.sql": "select * from a"},
    )
    with pytest.raises(ModelGraphError, match="cycle: (a -> b -> a|b -> a -> b)"):
        ModelGraph(root)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"report/r.sql": "select * from s", "staging/s.sql": "select 1"}, "only inlined"),
        ({"seeds/s.sql": "select * from pages"}, "a seed is a VALUES list"),
        ({"report/r.sql": "select * from q", "queries/q.sql": "select 1"}, "never stored"),
        ({"misc/a.sql": "select 1"}, "in no known layer"),
        ({"marts/site/a.sql": "select * from"}, "a.sql does not parse"),
    ],
)
def test_misplaced_models_fail(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(ModelGraphError, match=message):
        ModelGraph(write_models(tmp_path, files))


def test_two_files_with_one_name_fail(tmp_path: Path) -> None:
    root = write_models(tmp_path, {"staging/a.sql": "select 1", "marts/site/a.sql": "select 1"})
    with pytest.raises(ValueError, match="two SQL files are named a.sql"):
        ModelGraph(root)


def test_steps_are_inlined_in_dependency_order(tmp_path: Path) -> None:
    root = write_models(
        tmp_path,
        {
            "staging/stg_a.sql": "select 1 as n",
            "intermediate/int_b.sql": "with x as (select n + 1 as n from stg_a) select * from x",
            "marts/site/m.sql": "select n * 10 as n from int_b union all select n from stg_a;",
        },
    )
    graph = ModelGraph(root)
    sql = graph.query("m")
    assert sql.index("stg_a as (") < sql.index("int_b as (")
    rows = duckdb.sql(sql).fetchall()
    assert sorted(rows) == [(1,), (20,)]
