"""profile_health and shop_post_links: given rows → expected rows, plus zero-row checks."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import duckdb
import pytest

from tests.pipeline.conftest import SITE, insert_items
from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.analyse_social import analyse_social
from unsilo.pipeline.models import ModelGraph
from unsilo.social.items import PostItem, PostLinkItem, ProfileItem
from unsilo.social.text import with_link_domains
from unsilo.urls import url_domain, url_key

social_marts = ModelGraph.shipped().build_order("social")

STARTED = datetime(2026, 11, 1, 12, 0)


def _post(handle: str, n: int, days_ago: float, **facts: Any) -> PostItem:
    when = (STARTED - timedelta(days=days_ago)).isoformat() + "Z"
    defaults: dict[str, Any] = {"kind": "post", "likes": 2, "reposts": 1, "replies": 0}
    defaults.update(facts)
    return PostItem("bluesky", handle, f"p{n}", None, when, f"post {n}", **defaults)


def _link(n: int, url: str, resolved: str | None = None) -> PostLinkItem:
    return PostLinkItem(
        "bluesky",
        f"p{n}",
        url,
        url_key(url),
        "facet",
        resolved,
        url_key(resolved) if resolved else None,
        domain=url_domain(url),  # the stored domains, as the social spider sets them
        resolved_domain=url_domain(resolved),
    )


@pytest.fixture
def social_run(duck: duckdb.DuckDBPyConnection, make_run: Any, tmp_path: Any) -> str:
    run = make_run("r1")
    for path in ("/", "/a", "/b", "/c"):
        run.page(path)
    run.page("/old", status=301, final="/a", is_html=False)
    run.profile("/", "bluesky", "shop.example", source="sameAs")
    run.profile("/", "instagram", "shopgram", source="sameAs")
    run.load()
    duck.execute(
        "insert into runs (run_id, site, started_at) values ('r1', 'shop.example', $t)",
        {"t": STARTED},
    )
    items = [
        with_link_domains(
            ProfileItem(
                "bluesky",
                "shop.example",
                "https://bsky.app/profile/shop.example",
                "ok",
                followers=10,
                verified_links=["https://shop.example"],
            )
        ),
        with_link_domains(
            ProfileItem(
                "mastodon", "quiet@m.example", None, "ok", website="https://elsewhere.example"
            )
        ),
        _post("shop.example", 1, 5, promotional=True),
        _post("shop.example", 2, 7, promotional=False, kind="reply", is_reply_to_other=True),
        _post("shop.example", 3, 45, promotional=False),
        _post("shop.example", 4, 47, kind="repost", likes=100, promotional=False),
        _link(1, f"{SITE}/a"),
        _link(2, "https://bit.ly/x", f"{SITE}/old"),
        _link(3, "https://other.example/"),
        _link(4, f"{SITE}/b"),
    ]
    insert_items(duck, "r1", items, tmp_path)
    analyse(duck, "r1")
    analyse_social(duck, "r1")
    return "r1"


def _health(query: Any) -> dict[str, dict[str, Any]]:
    found = query("select * from profile_health where run_id = 'r1'")
    return {f"{r['platform']}:{r['handle']}": r for r in found}


def test_profile_health_rows(social_run: str, query: Any) -> None:
    health = _health(query)
    assert set(health) == {"bluesky:shop.example", "mastodon:quiet@m.example", "instagram:shopgram"}
    bsky = health["bluesky:shop.example"]
    assert bsky["link_proof"] == "verified rel=me" and bsky["linked_both_ways"]
    assert (bsky["posts_30d"], bsky["posts_90d"], bsky["own_posts"]) == (2, 4, 3)
    assert bsky["engagement_per_post"] == pytest.approx(3.0)  # the repost's 100 likes excluded
    assert bsky["engagement_per_follower"] == pytest.approx(0.3)
    assert bsky["conversation_ratio"] == pytest.approx(1 / 3)
    assert bsky["push_ratio"] == pytest.approx(1 / 3)
    assert bsky["link_ratio"] == pytest.approx(2 / 3)  # /a directly, bit.ly → /old → /a
    assert bsky["shop_pages_linked"] == 1
    assert bsky["shop_coverage"] == pytest.approx(1 / 4)
    assert bsky["median_days_between_posts"] == pytest.approx(2.0)
    quiet = health["mastodon:quiet@m.example"]
    assert quiet["link_proof"] == "none" and not quiet["linked_from_shop"]
    assert "profile does not link back to the shop" in quiet["judgements"]
    assert "no posts in the last 90 days" in quiet["judgements"]
    gram = health["instagram:shopgram"]
    assert gram["api_status"] is None and gram["judgements"] == ["not audited in this run"]
    # nothing is known about its posts: unknown, never zero
    assert gram["posts_90d"] is None and gram["own_posts"] is None
    assert gram["shop_coverage"] is None and gram["link_ratio"] is None


def test_shop_post_links_rows(social_run: str, query: Any) -> None:
    found = query("select url_key, posts, platforms, engagement from shop_post_links")
    assert found == [
        {"url_key": url_key(f"{SITE}/a"), "posts": 2, "platforms": ["bluesky"], "engagement": 6}
    ]


def test_zero_row_checks(social_run: str, query: Any) -> None:
    assert not query(
        "select platform, lower(handle) from profile_health group by all having count(*) > 1"
    )
    ratios = "conversation_ratio, push_ratio, link_ratio, shop_coverage"
    assert not query(
        f"select * from profile_health, unnest([{ratios}]) as t(r) where r < 0 or r > 1"
    )


def test_reanalysis_is_idempotent_and_empty_run_is_empty(
    social_run: str, duck: duckdb.DuckDBPyConnection
) -> None:
    before = {m: duck.execute(f"select count(*) from {m}").fetchone() for m in social_marts}
    assert analyse_social(duck, "r1") == {m: n[0] for m, n in before.items()}
    analyse(duck, "empty")
    assert analyse_social(duck, "empty") == dict.fromkeys(social_marts, 0)


def test_needs_analyse_first() -> None:
    with pytest.raises(RuntimeError, match="analyse"):
        analyse_social(duckdb.connect(), "r1")
