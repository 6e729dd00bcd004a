"""page_levels, shop_profiles and section_levels: levels and scores from given rows, and the
invariants every run must keep (one level per indexable page, score = earned points)."""

from __future__ import annotations

import re
from typing import Any

import duckdb
import pytest

from unsilo.items import MetaProperty
from unsilo.pipeline.analyse import analyse


@pytest.fixture
def levels_of(duck: duckdb.DuckDBPyConnection, query: Any) -> Any:
    """Analyse a run and return its page_levels as {path: row}."""

    def run(builder: Any) -> dict[str, dict[str, Any]]:
        builder.load()
        analyse(duck, builder.run_id)
        rows = query("SELECT * FROM page_levels WHERE run_id = $r", r=builder.run_id)
        return {r["url"].removeprefix(builder.site): r for r in rows}

    return run


def _points(query: Any) -> dict[str, int]:
    return {r["earned_text"]: r["points"] for r in query("SELECT * FROM level_points")}


def _listed(lines: list[str]) -> int:
    """The points a list of earned/missed lines adds up to: each ends with "(+N)"."""
    return sum(int(re.search(r"\(\+(\d+)\)$", line).group(1)) for line in lines)


def test_the_ladder(make_run: Any, levels_of: Any, query: Any) -> None:
    run = make_run()
    for path in ("/", "/bare", "/og", "/ready", "/no-profile"):
        run.page(path)
    run.social("/bare")
    run.shareable("/og")
    card = [MetaProperty("twitter:card", "summary")]
    run.shareable("/ready", share_links=run.share_link("/ready"), twitter=card)
    run.shareable("/no-profile", web_share_api=True)
    run.shareable("/", same_as=["https://bsky.example/shop"])
    run.profile("/", "bsky", "shop", source="sameAs")
    run.profile("/ready", "bsky", "Shop")  # handles compare case-insensitively
    got = levels_of(run)
    assert {p: r["level"] for p, r in got.items()} == {
        "/": "shareable",
        "/bare": "siloed",
        "/og": "shareable",
        "/ready": "share-ready",
        "/no-profile": "shareable",
    }
    # the level's base (30 shareable, 50 share-ready) plus the detail points earned
    assert {p: r["score"] for p, r in got.items()} == {
        "/": 37,
        "/bare": 0,
        "/og": 37,
        "/ready": 64,
        "/no-profile": 39,
    }
    assert got["/ready"]["missed"] == ["Next level shared (+20)"]
    assert got["/bare"]["earned"] == ["Level siloed (+0)"]
    assert got["/no-profile"]["earned"][0] == "Level shareable (+30)"
    assert _listed(got["/no-profile"]["earned"]) == 39


def test_og_needs_absolute_image_and_matching_url(make_run: Any, levels_of: Any) -> None:
    run = make_run()
    for path in ("/rel-img", "/wrong-url", "/loose-url", "/no-type"):
        run.page(path)
    run.social("/rel-img", og=run.og("/rel-img", og_image="/img/x.jpg"))
    run.social("/wrong-url", og=run.og("/wrong-url", og_url=run.url("/other")))
    run.social("/loose-url", og=run.og("/loose-url", og_url="HTTPS://Shop.Example:443/loose-url/"))
    run.social("/no-type", og=run.og("/no-type", og_type=None))
    got = levels_of(run)
    flags = ("og_complete", "og_image_absolute", "og_url_matches_canonical", "level")
    assert {p: tuple(r[f] for f in flags) for p, r in got.items()} == {
        "/rel-img": (True, False, True, "siloed"),
        "/wrong-url": (True, True, False, "siloed"),
        "/loose-url": (True, True, True, "shareable"),
        "/no-type": (False, True, True, "siloed"),
    }


def test_twitter_card_with_og_fallback_makes_a_page_shareable(
    make_run: Any, levels_of: Any
) -> None:
    run = make_run()
    run.page("/tw")
    run.page("/tw-rel")
    card = [MetaProperty("twitter:card", "summary_large_image")]
    og = run.og("/tw", og_url=None, og_type=None)  # incomplete OG, but X falls back to it
    run.social("/tw", og=og, twitter=card)
    relative = [
        MetaProperty("twitter:title", "T"),
        MetaProperty("twitter:description", "D"),
        MetaProperty("twitter:image", "/i.png"),
    ]
    run.social("/tw-rel", twitter=card + relative)
    got = levels_of(run)
    assert (got["/tw"]["twitter_complete"], got["/tw"]["og_complete"]) == (True, False)
    assert (got["/tw"]["level"], got["/tw"]["score"]) == ("shareable", 34)
    assert got["/tw-rel"]["twitter_complete"] is True
    assert got["/tw-rel"]["level"] == "siloed"


def test_only_indexable_pages_get_a_level(make_run: Any, levels_of: Any) -> None:
    run = make_run()
    run.page("/ok")
    run.page("/hidden", noindex=True)
    run.page("/gone", status=404, is_html=False)
    run.page("/pdf", is_html=False, content_type="application/pdf")
    run.page("/variant", canonical=run.url("/ok"), canonical_key=run.url("/ok"))
    assert set(levels_of(run)) == {"/ok"}


def test_invariants_hold_on_a_mixed_run(
    make_run: Any, levels_of: Any, query: Any, duck: duckdb.DuckDBPyConnection
) -> None:
    run = make_run()
    for n in range(12):
        path = f"/p{n}"
        run.page(path, noindex=n % 5 == 0)
        if n % 2:
            run.shareable(path, share_links=run.share_link(path) if n % 3 else [])
        if n % 4 == 1:
            run.profile(path, "mastodon", "shop", source="rel-me")
    levels_of(run)
    indexable = query("SELECT url_key FROM page_facts WHERE indexable")
    per_page = query("SELECT url_key, count(*) AS n FROM page_levels GROUP BY url_key")
    assert sorted(r["url_key"] for r in per_page) == sorted(r["url_key"] for r in indexable)
    assert all(r["n"] == 1 for r in per_page)
    points = _points(query)
    all_points = set(points)
    missed_text = {r["missed_text"] for r in query("SELECT * FROM level_points")}
    for row in query("SELECT * FROM page_levels"):
        assert 0 <= row["score"] <= 100
        assert row["score"] == _listed(row["earned"])  # every point earned is listed
        level_line, *details = row["earned"]
        assert level_line.startswith(f"Level {row['level']} ") and set(details) <= all_points
        assert set(row["missed"][1:]) <= missed_text
        assert len(details) + len(row["missed"]) - 1 == len(points)
        assert row["level"] in {"siloed", "shareable", "share-ready"}
    assert sum(points.values()) == 14
    levels = {r["level"] for r in query("SELECT level FROM page_levels")}
    assert levels == {"siloed", "shareable", "share-ready"}


def test_shop_profiles_are_claimed_or_site_wide(make_run: Any, levels_of: Any, query: Any) -> None:
    run = make_run()
    for n in range(4):
        run.page(f"/p{n}")
    run.page("/gone", status=404, is_html=False)  # not an HTML page: does not count
    run.profile("/p0", "bsky", "shop", source="sameAs")
    run.profile("/p0", "bsky", "shop")
    for n in range(2):
        run.profile(f"/p{n}", "instagram", "shop_ig")  # 2 of 4 pages: site-wide enough
    run.profile("/p3", "instagram", "designer")  # 1 of 4: someone else's profile
    run.profile("/p2", "mastodon", "shop", source="rel-me")
    levels_of(run)
    got = {
        (r["platform"], r["handle"]): (r["pages_linking"], r["sources"])
        for r in query("SELECT * FROM shop_profiles")
    }
    assert got == {
        ("bsky", "shop"): (1, ["link", "sameAs"]),
        ("instagram", "shop_ig"): (2, ["link"]),
        ("mastodon", "shop"): (1, ["rel-me"]),
    }


def test_section_levels_count_pages(make_run: Any, levels_of: Any, query: Any) -> None:
    run = make_run()
    run.page("/")
    run.page("/products/a")
    run.page("/products/b")
    run.shareable("/products/b")
    levels_of(run)
    got = {
        (r["section"], r["level"]): r["pages"]
        for r in query("SELECT * FROM section_levels WHERE run_id = 'r1'")
    }
    assert got == {("home", "siloed"): 1, ("product", "siloed"): 1, ("product", "shareable"): 1}
