"""claimed_profiles: the profiles the social spider is handed are the ones the shop claims
(sameAs, rel="me", or linked site-wide), not every profile linked from some page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from tests.pipeline.conftest import RunBuilder
from unsilo.crawl_request import CrawlRequest
from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.db import connect
from unsilo.pipeline.profiles import claimed_profiles, refs_from_rows
from unsilo.social.discovery import merge_profiles

SHOP_BSKY = "https://bsky.app/profile/shop.example"
SHOP_MASTODON = "https://toot.example/@shop"
SHOP_IG = "https://www.instagram.com/shop_ig/"
DESIGNER = "https://bsky.app/profile/designer.example"


def _shop_with_a_designer(make_run: Any, run_id: str = "r1") -> Any:
    """Four HTML pages: the shop's profiles claimed three ways, a designer's linked once."""
    run = make_run(run_id)
    for n in range(4):
        run.page(f"/p{n}")
    run.page("/gone", status=404, is_html=False)  # not an HTML page: does not count
    run.profile("/p0", "bluesky", "shop.example", "sameAs", SHOP_BSKY)  # sameAs, one page
    run.profile("/p2", "mastodon", "shop@toot.example", "rel-me", SHOP_MASTODON)  # rel=me
    for n in range(2):
        run.profile(f"/p{n}", "instagram", "shop_ig", url=SHOP_IG)  # 2 of 4 pages: site-wide
    run.profile("/p3", "bluesky", "designer.example", url=DESIGNER)  # 1 of 4: someone else's
    run.load()
    return run


def _keys(refs: list[Any]) -> list[tuple[str, str, list[str]]]:
    return [(r.platform, r.handle, r.found_in) for r in refs]


def test_profile_linked_from_one_page_is_not_claimed(
    make_run: Any, duck: duckdb.DuckDBPyConnection
) -> None:
    _shop_with_a_designer(make_run)
    analyse(duck, "r1")
    assert _keys(claimed_profiles(duck, "r1")) == [
        ("bluesky", "shop.example", ["sameAs"]),
        ("instagram", "shop_ig", ["link"]),
        ("mastodon", "shop@toot.example", ["rel-me"]),
    ]


def test_site_wide_link_is_claimed_from_half_the_pages(
    make_run: Any, duck: duckdb.DuckDBPyConnection
) -> None:
    run = make_run()
    for n in range(5):
        run.page(f"/p{n}")
    for n in range(2):
        run.profile(f"/p{n}", "instagram", "almost")  # 2 of 5: under half
    for n in range(3):
        run.profile(f"/p{n}", "youtube", "footer")  # 3 of 5: the footer
    run.load()
    analyse(duck, "r1")
    assert _keys(claimed_profiles(duck, "r1")) == [("youtube", "footer", ["link"])]


def test_claims_are_per_run(make_run: Any, duck: duckdb.DuckDBPyConnection) -> None:
    _shop_with_a_designer(make_run, "r1")
    analyse(duck, "r1")
    later = make_run("r2")
    later.page("/")
    later.load()
    analyse(duck, "r2")
    assert claimed_profiles(duck, "r2") == []
    assert len(claimed_profiles(duck, "r1")) == 3


def test_configured_profile_is_audited_and_excluded_one_is_not(
    make_run: Any, duck: duckdb.DuckDBPyConnection
) -> None:
    """What ``unsilo audit`` hands the spider: claimed + ``--profile`` − ``--exclude-profile``."""
    _shop_with_a_designer(make_run)
    analyse(duck, "r1")
    handed = merge_profiles(claimed_profiles(duck, "r1"), [DESIGNER], ["instagram:shop_ig"])
    assert _keys(handed) == [
        ("bluesky", "shop.example", ["sameAs"]),
        ("mastodon", "shop@toot.example", ["rel-me"]),
        ("bluesky", "designer.example", ["config"]),
    ]
    assert handed[-1].profile_url == DESIGNER


def test_handle_less_rows_are_re_parsed_or_dropped() -> None:
    rows = [
        ("mastodon", None, "https://toot.example/@Shop", ["link"]),
        ("facebook", None, "https://www.facebook.com/", ["sameAs"]),
    ]
    assert _keys(refs_from_rows(rows)) == [("mastodon", "shop@toot.example", ["link"])]


def test_audit_hands_the_social_spider_a_list_not_the_database(tmp_path: Path) -> None:
    """``unsilo audit``'s callback: analyse the stored shop crawl, then name the profiles."""
    db, rows = tmp_path / "audit.duckdb", tmp_path / "rows"
    rows.mkdir()
    con = connect(db)
    _shop_with_a_designer(lambda run_id: RunBuilder(con, run_id, rows))
    con.close()
    request = CrawlRequest(url="https://shop.example/", db_path=db)
    args = request.social_args("r1")
    assert args is not None and set(args) == {"site", "profiles"}
    assert json.loads(args["profiles"]) == [SHOP_BSKY, SHOP_IG, SHOP_MASTODON]
    request.profiles, request.exclude_profiles = [DESIGNER], [SHOP_IG]
    assert json.loads(request.social_args("r1")["profiles"]) == [
        SHOP_BSKY,
        SHOP_MASTODON,
        DESIGNER,
    ]
    assert request.social_args("no-such-run") is not None  # the configured one alone
    request.profiles = []
    assert request.social_args("no-such-run") is None  # nothing to audit: no social crawl
    request.social = False
    assert request.social_args("r1") is None
