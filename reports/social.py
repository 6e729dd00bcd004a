"""The report's social-profile sections: health cards, unauditable platforms, posted pages.

Read from the ``profile_health`` and ``shop_post_links`` marts, which only exist once the
social step has run at least once; a database or run without them gets a section that says
so (``SocialSection.crawled`` is False) rather than an error, because a crawl-only audit is
a normal audit.

>>> build_social(con, "2026-11-23T115000Z-ab12cd").crawled  # doctest: +SKIP
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from unsilo.reports.rows import build, has_table, records

PROFILE_LIMIT = 50
"""Profiles shown at most; a shop has a handful, a hostile mart must not bloat the report."""
POSTED_PAGES_LIMIT = 10
"""Rows in "shop pages most linked from the shop's own posts"."""


@dataclass(frozen=True, slots=True)
class ProfileHealth:
    """One profile's health; every None number means unknown (shown so, never as 0)."""

    platform: str
    handle: str | None
    profile_url: str | None
    api_status: str | None  # None: the shop links it, but the social step did not reach it
    status_reason: str | None
    linked_from_shop: bool | None
    links_to_shop: bool | None
    link_proof: str | None  # 'verified rel=me' | 'profile links to shop' | 'none'
    followers: int | None
    posts_30d: int | None
    posts_90d: int | None
    median_days_between_posts: float | None
    engagement_per_post: float | None
    engagement_per_follower: float | None
    conversation_ratio: float | None
    push_ratio: float | None
    link_ratio: float | None
    shop_coverage: float | None
    judgements: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PostedPage:
    """A shop page the shop's own posts link to, with how often and where."""

    url: str
    posts: int
    platforms: list[str]
    engagement: int | None


@dataclass(frozen=True, slots=True)
class SocialSection:
    """What the social sections show; ``crawled`` is False when there is nothing to show."""

    crawled: bool
    audited: list[ProfileHealth] = field(default_factory=list)
    unaudited: list[ProfileHealth] = field(default_factory=list)
    posted_pages: list[PostedPage] = field(default_factory=list)
    posts_crawled: bool = False  # shop_post_links exists for this database


NOT_CRAWLED = SocialSection(crawled=False)


def build_social(con: duckdb.DuckDBPyConnection, run_id: str) -> SocialSection:
    """The run's social sections; missing marts or no rows for the run → ``NOT_CRAWLED``."""
    if not has_table(con, "profile_health"):
        return NOT_CRAWLED
    profiles = [
        build(ProfileHealth, r)
        for r in records(con, "report_profile_health", run_id=run_id, limit=PROFILE_LIMIT)
    ]
    if not profiles:
        return NOT_CRAWLED
    posts_crawled = has_table(con, "shop_post_links")
    posted = (
        [
            build(PostedPage, r)
            for r in records(con, "report_shop_post_links", run_id=run_id, limit=POSTED_PAGES_LIMIT)
        ]
        if posts_crawled
        else []
    )
    return SocialSection(
        crawled=True,
        audited=[p for p in profiles if p.api_status == "ok"],
        unaudited=[p for p in profiles if p.api_status != "ok"],
        posted_pages=posted,
        posts_crawled=posts_crawled,
    )
