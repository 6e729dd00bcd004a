"""The social-profile sections, read as a reader reads them: a health card per audited
profile, the platforms that could not be audited and why, and the shop pages its posts push.
The marts are created here from their contract (``SOCIAL_SQL``), not by the analysis."""

from __future__ import annotations

import duckdb
import pytest
from bs4 import BeautifulSoup

from tests.reports.conftest import Health, add_social_tables, insert_health, insert_posted
from unsilo.pipeline.queries import run_sql
from unsilo.reports.social import POSTED_PAGES_LIMIT, build_social

HOSTILE_HANDLE = '<img src=x onerror=alert(1)>"@shop'
JS_URL = "javascript:alert(1)"

UNAUDITED = [
    Health(
        "shop_dk",
        platform="instagram",
        profile_url="https://www.instagram.com/shop_dk",
        api_status="not auditable without API access",
        status_reason="Instagram offers no public API for profile analytics",
        links_to_shop=None,
        link_proof="none",
        followers=None,
        posts_30d=None,
        posts_90d=None,
        judgements=["no data from the platform: not auditable without API access"],
    ),
    Health(
        "shopx",
        platform="bluesky",
        profile_url="https://bsky.app/profile/shopx",
        api_status=None,
        linked_from_shop=True,
        judgements=["not audited in this run"],
    ),
]


@pytest.fixture
def social(con: duckdb.DuckDBPyConnection, shop):
    """The shop's current run with two audited profiles, two unaudited, and posted pages."""
    add_social_tables(con)
    audited = [
        Health("shop", judgements=["link back is verified", "<b>bold</b> claim"]),
        Health(
            HOSTILE_HANDLE,
            platform="bluesky",
            profile_url=JS_URL,
            followers=None,
            median_days_between_posts=None,
            engagement_per_post=None,
            engagement_per_follower=None,
            conversation_ratio=0.0,
            posts_30d=0,
            link_proof="none",
            links_to_shop=False,
            linked_from_shop=False,
        ),
    ]
    insert_health(con, shop.current, audited + UNAUDITED)
    insert_health(con, shop.previous, [Health("old-profile")])
    posted = [(f"https://shop.example/p/{i}", i, ["mastodon"], i * 10) for i in range(1, 13)]
    posted.append(("https://shop.example/p/unknown", 12, ["bluesky", "mastodon"], None))
    insert_posted(con, shop.current, posted)
    return shop


def cards(soup: BeautifulSoup) -> dict[str, BeautifulSoup]:
    return {c.select_one(".handle").get_text(strip=True): c for c in soup.select(".profile-card")}


def stats(card: BeautifulSoup) -> dict[str, str]:
    return {s["data-stat"]: s.dd.get_text(strip=True) for s in card.select(".stat")}


def test_one_card_per_audited_profile_with_its_figures(social, render) -> None:
    soup = render(social.current)
    shown = cards(soup)
    assert set(shown) == {"shop", HOSTILE_HANDLE}  # the previous run's profile is not here
    shop_card = shown["shop"]
    assert shop_card["data-platform"] == "mastodon"
    assert shop_card.a["href"] == "https://mastodon.example/@shop"
    assert stats(shop_card) == {
        "followers": "1,200",
        "posts_30d": "6",
        "posts_90d": "20",
        "cadence": "every 4.5 days",
        "engagement_per_post": "12.5",
        "engagement_per_follower": "1.0%",
        "conversation_ratio": "25%",
        "push_ratio": "40%",
        "link_ratio": "50%",
        "shop_coverage": "12.5%",
    }
    proof = shop_card.select_one(".link-proof").get_text(" ", strip=True)
    assert "Shop → profile: linked" in proof and "verified rel=me" in proof
    judgements = [li.get_text() for li in shop_card.select("ul.judgements li")]
    assert judgements == ["link back is verified", "<b>bold</b> claim"]


def test_unknown_numbers_show_as_unknown_and_zero_as_zero(social, render) -> None:
    card = cards(render(social.current))[HOSTILE_HANDLE]
    figures = stats(card)
    for name in ("followers", "cadence", "engagement_per_post", "engagement_per_follower"):
        assert figures[name] == "unknown", name
    assert figures["conversation_ratio"] == "0%"
    assert figures["posts_30d"] == "0"
    proof = card.select_one(".link-proof").get_text(" ", strip=True)
    assert "not linked" in proof and "no link back" in proof


def test_hostile_handle_is_text_and_script_urls_are_not_links(social, render) -> None:
    soup = render(social.current)
    card = cards(soup)[HOSTILE_HANDLE]
    assert card.a is None  # javascript: profile URL shown as text
    assert soup.find("img") is None and soup.find("b") is None
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag


def test_platforms_that_could_not_be_audited_and_why(social, render) -> None:
    soup = render(social.current)
    rows = {
        tr["data-platform"]: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup.select("#unaudited-profiles tbody tr")
    }
    assert rows == {
        "bluesky": ["Bluesky", "shopx", "not audited in this run", "–", "yes"],
        "instagram": [
            "Instagram",
            "shop_dk",
            "not auditable without API access",
            "Instagram offers no public API for profile analytics",
            "yes",
        ],
    }
    links = [a["href"] for a in soup.select("#unaudited-profiles a")]
    assert links == ["https://bsky.app/profile/shopx", "https://www.instagram.com/shop_dk"]


def test_summary_line_counts_audited_and_unaudited(social, render) -> None:
    line = render(social.current).select_one("#social-summary").get_text(" ", strip=True)
    assert line == "Social profiles: 2 audited, 2 could not be audited."


def test_pages_most_linked_from_posts_are_capped_and_ordered(social, render) -> None:
    rows = render(social.current).select("#posted-pages tbody tr")
    assert len(rows) == POSTED_PAGES_LIMIT
    cells = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in rows]
    assert cells[0] == ["https://shop.example/p/12", "12", "Mastodon", "120"]
    assert cells[1] == ["https://shop.example/p/unknown", "12", "Bluesky, Mastodon", "unknown"]
    assert [int(c[1]) for c in cells] == sorted((int(c[1]) for c in cells), reverse=True)


def test_missing_marts_say_social_was_not_crawled(shop, render) -> None:
    soup = render(shop.current)
    assert "not crawled in this run" in soup.select_one("#social-not-crawled").get_text()
    assert "not crawled" in soup.select_one("#social-summary").get_text()
    assert not soup.select(".profile-card, #unaudited-profiles, #posted-pages")


def test_run_without_rows_in_the_marts_is_not_crawled(social, render) -> None:
    soup = render(social.other_site)  # the marts exist, but hold nothing for this run
    assert soup.select_one("#social-not-crawled") is not None


def test_missing_post_links_mart_still_shows_cards(con, shop, render) -> None:
    add_social_tables(con)
    con.execute("drop table shop_post_links")
    insert_health(con, shop.current, [Health("shop")])
    soup = render(shop.current)
    assert len(soup.select(".profile-card")) == 1
    assert "posts were not read" in soup.select_one("#profile-health").get_text()
    assert "Every profile was audited." in soup.select_one("#profile-health").get_text()


def test_report_model_orders_audited_first_and_cuts_hostile_text(con, db) -> None:
    add_social_tables(con)
    run = db.run("r1", "2026-01-01 00:00:00")
    insert_health(
        con,
        run,
        [
            Health("zed", platform="x", api_status="needs token", status_reason="R" * 10_000),
            Health("B" * 5_000, platform="mastodon", judgements=["j" * 1_000] * 50),
            Health("a", platform="mastodon"),
        ],
    )
    cursor = run_sql(con, "report_profile_health", run_id=run, limit=10)
    names = [d[0] for d in cursor.description]
    got = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    assert [(r["platform"], r["handle"][:3], r["audited"]) for r in got] == [
        ("mastodon", "a", True),
        ("mastodon", "BBB", True),
        ("x", "zed", False),
    ]
    assert len(got[1]["handle"]) == 200 and got[1]["handle"].endswith("…")
    assert len(got[1]["judgements"]) == 20 and all(len(j) == 300 for j in got[1]["judgements"])
    assert len(got[2]["status_reason"]) == 500


def test_build_social_splits_by_api_status(con, db) -> None:
    add_social_tables(con)
    run = db.run("r1", "2026-01-01 00:00:00")
    insert_health(con, run, [Health("ok"), *UNAUDITED])
    section = build_social(con, run)
    assert section.crawled and section.posts_crawled
    assert [p.handle for p in section.audited] == ["ok"]
    assert sorted(p.handle for p in section.unaudited) == ["shop_dk", "shopx"]
    assert section.posted_pages == []


def test_no_audited_profile_means_no_posts_were_read(con, shop, render) -> None:
    add_social_tables(con)
    insert_health(con, shop.current, UNAUDITED)
    section = render(shop.current).select_one("#profile-health").get_text(" ", strip=True)
    assert "None of the shop's profiles could be audited" in section
    assert "No posts were read" in section
