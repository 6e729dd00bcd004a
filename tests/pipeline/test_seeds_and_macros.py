"""Seeds are the one place the ladders live, and the macros every connection registers."""

from __future__ import annotations

import duckdb
import pytest

from unsilo.pipeline.analyse import build_seeds
from unsilo.pipeline.db import connect


@pytest.fixture
def seeded() -> duckdb.DuckDBPyConnection:
    con = connect(":memory:")
    build_seeds(con)
    return con


def test_the_level_ladder_has_five_rungs_whose_bases_outrank_all_details(seeded) -> None:
    rows = seeded.execute(
        "select level, level_rank, base_points from levels order by level_rank"
    ).fetchall()
    assert rows == [
        ("siloed", 1, 0),
        ("shareable", 2, 30),
        ("share-ready", 3, 50),
        ("shared", 4, 70),
        ("conversation", 5, 86),
    ]
    (details,) = seeded.execute("select sum(points) from level_points").fetchone()
    steps = [b - a for (*_, a), (*_, b) in zip(rows, rows[1:], strict=False)]
    assert details < min(steps)  # no detail can lift a page above the next level's floor
    assert rows[-1][-1] + details == 100
    assert seeded.execute("select count(*) from levels where meaning = ''").fetchone() == (0,)


def test_every_catalogued_check_has_a_known_severity(seeded) -> None:
    unknown = seeded.execute(
        "select c.check, c.severity from check_catalogue as c "
        "anti join severities as s on s.severity = c.severity and s.in_catalogue"
    ).fetchall()
    assert unknown == []
    ranks = seeded.execute("select severity from severities order by severity_rank").fetchall()
    assert [r[0] for r in ranks] == ["critical", "high", "medium", "low", "unknown"]


def test_seeds_are_rebuilt_not_appended(seeded) -> None:
    build_seeds(seeded)
    assert seeded.execute("select count(*) from levels").fetchone() == (5,)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("cap_text('abcdef', 4)", "abc…"),
        ("cap_text('abcd', 4)", "abcd"),
        ("is_absolute_http_url(' HTTPS://shop.example/i.jpg')", True),
        ("is_absolute_http_url('/i.jpg')", False),
        ("is_absolute_http_url(null)", False),
        ("profile_key('Shop', 'https://x.example/shop')", "shop"),
        ("profile_key(null, 'https://X.example/Shop/')", "https://x.example/shop"),
        ("page_section('/', [], null)", "home"),
        ("page_section('/x', ['BlogPosting'], null)", "article"),
        ("page_section('/c/lamps', [], null)", "category"),
        ("page_section('/blog', [], null)", "other"),
        (
            "meta_content([{'property': 'og:image', 'content': ' '}, "
            "{'property': 'og:image:url', 'content': 'https://i/x.jpg'}], "
            "['og:image', 'og:image:url'])",
            "https://i/x.jpg",
        ),
    ],
)
def test_macros(expression: str, expected: object) -> None:
    assert connect(":memory:").execute(f"select {expression}").fetchone() == (expected,)
