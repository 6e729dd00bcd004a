"""Given rows → expected rows for the steps page_facts and profile_health are built from.

Each step runs on its own here (``ModelGraph.query`` inlines the steps it reads), so a wrong
rule shows up in the step that owns it, not only as a changed mart column.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from unsilo.pipeline.models import ModelGraph

SHOP = "https://shop.example"


def step_rows(
    con: duckdb.DuckDBPyConnection, step: str, order: str, columns: str = "*"
) -> list[tuple[Any, ...]]:
    sql = f"select {columns} from ({ModelGraph.shipped().query(step)}) order by {order}"
    return con.execute(sql, {"run_id": "r1"}).fetchall()


def insert(con: duckdb.DuckDBPyConnection, table: str, values: str) -> None:
    con.execute(f"insert into {table} by name {values}")


@pytest.fixture
def con(duck: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    duck.execute("insert into runs (run_id, site, started_at) values ('r1', 'shop.example', "
                 "timestamp '2026-11-01 12:00:00'), ('r0', 'shop.example', null)")  # fmt: skip
    return duck


def test_stg_pages_keeps_the_answered_then_latest_fetch_and_fills_nulls(con) -> None:
    insert(
        con,
        "pages",
        f"""
        select * from (values
            ('r1', '{SHOP}/a', '{SHOP}/a', 200, '2026-11-01T10:00'),
            ('r1', '{SHOP}/a', '{SHOP}/a', null, '2026-11-01T11:00'),
            ('r1', '{SHOP}/b', '{SHOP}/b', 404, '2026-11-01T10:00'),
            ('r1', '{SHOP}/b', '{SHOP}/b', 200, '2026-11-01T11:00'),
            ('r0', '{SHOP}/c', '{SHOP}/c', 200, '2026-11-01T10:00')
        ) as t(run_id, url, url_key, status, fetched_at)""",
    )
    got = step_rows(con, "stg_pages", "url_key", "url, status, final_url, is_html")
    assert got == [(f"{SHOP}/a", 200, f"{SHOP}/a", False), (f"{SHOP}/b", 200, f"{SHOP}/b", False)]


def test_link_targets_follow_redirects_and_inlinks_count_distinct_sources(con) -> None:
    insert(
        con,
        "pages",
        f"""
        select * from (values ('r1', '{SHOP}/old', '{SHOP}/old', '{SHOP}/new', 200))
        as t(run_id, url, url_key, final_url_key, status)""",
    )
    insert(
        con,
        "links",
        f"""
        select * from (values
            ('r1', '{SHOP}/', '{SHOP}/old', true, 'content'),
            ('r1', '{SHOP}/', '{SHOP}/old', true, 'footer'),
            ('r1', '{SHOP}/x', '{SHOP}/new', true, null),
            ('r1', '{SHOP}/y', '{SHOP}/new', true, 'navigation'),
            ('r1', '{SHOP}/new', '{SHOP}/new', true, 'content'),
            ('r1', '{SHOP}/', 'https://elsewhere.example/', false, 'content')
        ) as t(run_id, source_url_key, target_url_key, internal, position)""",
    )
    # in_content: one of the links stands in the source's content (NULL: stored before
    # positions were recorded, counted as content)
    assert step_rows(con, "int_link_targets", "all") == [
        (f"{SHOP}/", f"{SHOP}/new", True),
        (f"{SHOP}/", f"{SHOP}/old", True),
        (f"{SHOP}/new", f"{SHOP}/new", True),
        (f"{SHOP}/x", f"{SHOP}/new", True),
        (f"{SHOP}/y", f"{SHOP}/new", False),
    ]
    # editorial_inlinks leaves out the pages that link only from their menu
    assert step_rows(con, "int_inlinks", "all") == [(f"{SHOP}/new", 3, 2), (f"{SHOP}/old", 1, 1)]


def test_click_depths_take_the_shortest_path_from_the_start(con) -> None:
    insert(
        con,
        "pages",
        f"""
        select * from (values ('r1', '{SHOP}/', '{SHOP}/', 200, 'start'))
        as t(run_id, url, url_key, status, found_via)""",
    )
    insert(
        con,
        "links",
        f"""
        select 'r1' as run_id, '{SHOP}' || s as source_url_key, '{SHOP}' || t as target_url_key,
            true as internal
        from (values ('/', '/a'), ('/a', '/b'), ('/b', '/c'), ('/', '/c'), ('/c', '/')) as l(s, t)
    """,
    )
    depths = step_rows(con, "int_click_depths", "url_key")
    got = [(key.removeprefix(SHOP), depth) for key, depth in depths]
    assert got == [("/", 0), ("/a", 1), ("/b", 2), ("/c", 1)]


def test_stg_profiles_keeps_the_latest_read_per_handle_in_any_case(con) -> None:
    insert(
        con,
        "profiles",
        """
        select * from (values
            ('r1', 'bluesky', 'Shop.example', 'error', '2026-11-01T10:00'),
            ('r1', 'bluesky', 'shop.example', 'ok', '2026-11-01T11:00'),
            ('r1', 'mastodon', '@shop', 'ok', null)
        ) as t(run_id, platform, handle, api_status, fetched_at)""",
    )
    rows = step_rows(con, "stg_profiles", "platform", "platform, handle, api_status")
    assert rows == [
        ("bluesky", "shop.example", "ok"),
        ("mastodon", "@shop", "ok"),
    ]


def test_link_proof_prefers_verified_domains_then_bio_domains_of_the_site(con) -> None:
    insert(
        con,
        "profiles",
        """
        select * from (values
            ('r1', 'mastodon', 'verified', ['shop.example'], ['shop.example']),
            ('r1', 'mastodon', 'bio', [], ['elsewhere.example', 'shop.example']),
            ('r1', 'mastodon', 'elsewhere', ['notshop.example'], null),
            ('r1', 'mastodon', 'unread', null, null)
        ) as t(run_id, platform, handle, verified_domains, link_domains)""",
    )
    assert step_rows(con, "int_profile_link_proof", "handle_key") == [
        ("mastodon", "bio", "profile links to shop"),
        ("mastodon", "elsewhere", "none"),
        ("mastodon", "unread", "none"),
        ("mastodon", "verified", "verified rel=me"),
    ]


def test_activity_counts_windows_own_posts_engagement_and_cadence(con) -> None:
    insert(
        con,
        "posts",
        """
        select * from (values
            ('r1', 'bluesky', 'Shop', 'p1', '2026-10-31T12:00:00Z', 'post', true, true, 3, 1),
            ('r1', 'bluesky', 'shop', 'p2', '2026-10-29T12:00:00Z', 'repost', false, null, 9, 9),
            ('r1', 'bluesky', 'shop', 'p3', '2026-09-01T12:00:00Z', 'post', false, false, null,
             null),
            ('r1', 'bluesky', 'shop', 'p4', 'not a date', 'post', false, null, 1, 0)
        ) as t(run_id, platform, handle, post_id, created_at, kind, is_reply_to_other,
               promotional, likes, reposts)""",
    )
    [row] = step_rows(con, "int_profile_activity", "platform")
    got = dict(zip(
        ["platform", "handle_key", "posts_seen", "posts_30d", "posts_90d", "last_post_at",
         "own_posts", "replies_to_others", "judged_posts", "promotional_posts", "counted_posts",
         "engagement", "median_days_between_posts"], row, strict=True))  # fmt: skip
    assert got["handle_key"] == "shop"
    assert (got["posts_seen"], got["posts_30d"], got["posts_90d"]) == (4, 2, 3)
    assert (got["own_posts"], got["replies_to_others"]) == (3, 1)
    assert (got["judged_posts"], got["promotional_posts"]) == (2, 1)
    assert (got["counted_posts"], got["engagement"]) == (2, 5)
    assert got["median_days_between_posts"] == 30.0  # dated gaps of 58 and 2 days
