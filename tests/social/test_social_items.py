"""Social items follow the shared item rules and become DuckDB tables like the others."""

from __future__ import annotations

from dataclasses import fields

import duckdb
import pytest

from unsilo.pipeline.schema import create_table_sql, stored_columns
from unsilo.social.items import SOCIAL_ITEM_TYPES, PostItem, ProfileItem


def test_tables_are_named() -> None:
    assert [t.TABLE for t in SOCIAL_ITEM_TYPES] == ["profiles", "posts", "post_links"]


@pytest.mark.parametrize("item_type", SOCIAL_ITEM_TYPES)
def test_items_create_tables_with_run_id(item_type) -> None:
    con = duckdb.connect()
    con.execute(create_table_sql(item_type))
    columns = [row[0] for row in con.execute(f"describe {item_type.TABLE}").fetchall()]
    assert "run_id" in columns
    assert {f.name for f in fields(item_type)} <= set(columns)
    assert "run_id" not in {f.name for f in fields(item_type)}  # storage adds it
    assert set(stored_columns(item_type)) == set(columns)


def test_lists_stay_lists_and_missing_is_none() -> None:
    profile = ProfileItem("bluesky", "shop.example", None, "rate limited")
    post = PostItem("mastodon", "shop@m.example", "1", None, None, "", "post")
    assert profile.links_in_bio == [] and profile.verified_links == []
    assert profile.followers is None and post.likes is None and post.links == []
    assert profile.links_in_bio is not ProfileItem("x", "y", None, "ok").links_in_bio
