"""findings: given raw rows of a small run, exactly these findings come out (given rows →
expected rows), plus zero-row checks that hold for any run."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from unsilo.fetch_errors import ROBOTS_BLOCKED
from unsilo.pipeline.analyse import analyse

CATEGORIES = {
    "status", "redirects", "links", "titles", "descriptions", "headings", "canonical",
    "robots", "hreflang", "images", "lang", "sitemap", "depth", "structured_data", "crawl",
    "social",
}  # fmt: skip
SEVERITIES = {"critical", "high", "medium", "low"}


@pytest.fixture
def findings_of(duck: duckdb.DuckDBPyConnection, query: Any) -> Any:
    """Analyse a run and return its crawl findings as {(path, check): row}.

    The builder's pages carry no social facts, so every indexable one has social findings;
    those have their own given-rows tests (test_findings_social.py) and are left out here.
    """

    def run(builder: Any) -> dict[tuple[str, str], dict[str, Any]]:
        builder.load()
        analyse(duck, builder.run_id)
        rows = query(
            "SELECT * FROM findings WHERE run_id = $r AND category IS DISTINCT FROM 'social'",
            r=builder.run_id,
        )
        got = {(r["url"].removeprefix(builder.site), r["check"]): r for r in rows}
        assert len(got) == len(rows), "one finding per (url, check) in these runs"
        return got

    return run


def test_clean_pages_have_no_findings(make_run: Any, findings_of: Any) -> None:
    run = make_run()
    run.page("/")
    run.page("/a")
    run.link("/", "/a")
    run.link("/a", "/")
    run.sitemap("/a")
    assert findings_of(run) == {}


def test_status_redirect_and_fetch_findings(make_run: Any, findings_of: Any) -> None:
    run = make_run()
    run.page("/")
    run.page("/gone", status=404, is_html=False)
    run.page("/boom", status=500, is_html=False)
    run.page("/busy", status=429, is_html=False)  # the server refused the crawler
    run.page("/paused", status=503, is_html=False)
    run.page("/js", status=302, is_html=False, location="javascript:alert(1)")
    run.page(
        "/slow",
        status=None,
        is_html=False,
        error="TimeoutError: took longer than 180s",
        error_kind="timeout",
    )
    run.page("/chain", final="/end", hops=[("/chain", 301), ("/mid", 302)])
    run.page("/dead", final="/nowhere", hops=[("/dead", 301)], status=410, is_html=False)
    got = findings_of(run)
    assert set(got) == {
        ("/gone", "status_4xx"),
        ("/boom", "status_5xx"),
        ("/busy", "status_refused"),
        ("/paused", "status_refused"),
        ("/js", "redirect_bad_scheme"),
        ("/slow", "fetch_error"),
        ("/chain", "redirect_chain"),
        ("/dead", "redirect_broken"),
    }
    assert got[("/boom", "status_5xx")]["severity"] == "critical"
    assert got[("/gone", "status_4xx")]["message"] == "The URL answers HTTP 404"
    assert got[("/chain", "redirect_chain")]["message"].startswith("Redirects 2 times")
    assert got[("/dead", "redirect_broken")]["detail"] == run.url("/nowhere")
    assert got[("/slow", "fetch_error")]["detail"].startswith("TimeoutError")
    refused = got[("/busy", "status_refused")]
    assert "refused" in refused["message"] and "restore" not in refused["fix"].lower()
    bad = got[("/js", "redirect_bad_scheme")]
    assert "javascript:" in bad["message"] and bad["detail"] == "javascript:alert(1)"


def test_broken_internal_link_is_reported_on_the_source_page(
    make_run: Any, findings_of: Any
) -> None:
    run = make_run()
    run.page("/")
    run.page("/a")
    run.page("/gone", status=404, is_html=False)
    run.link("/", "/a")
    run.link("/", "/gone")
    run.link("/a", "/gone")
    run.link("/a", "/gone", anchor="same target again")
    got = findings_of(run)
    assert set(got) == {
        ("/", "broken_internal_link"),
        ("/a", "broken_internal_link"),
        ("/gone", "status_4xx"),
    }
    link = got[("/a", "broken_internal_link")]
    assert (link["detail"], link["category"]) == (run.url("/gone"), "links")
    assert link["message"] == "Links to a URL that answers HTTP 404"


def test_title_description_heading_image_lang_and_structured_data(
    make_run: Any, findings_of: Any
) -> None:
    run = make_run()
    long_title = "Handmade leather boots for every season and every kind of weather, shipped"
    run.page("/long", title=long_title + " free")
    run.page("/short", title="Boots")
    run.page("/none", title=None, title_count=0, meta_description=None)
    run.page("/twin1", title="The same title on two pages of shop", meta_description="Same.")
    run.page("/twin2", title="The same title on two pages of shop", meta_description="Same.")
    run.page("/twin3", title="The same title on two pages of shop", noindex=True)
    run.page("/wordy", meta_description="x" * 161)
    run.page("/heads", h1=["One", "Two"], lang=None)
    run.page("/noh1", h1=[])
    run.page("/imgs", images=5, images_missing_alt=2, images_missing_alt_src=["/a.jpg", "/b.jpg"])
    run.page("/ld", structured_data_errors=["JSON-LD block 1: invalid JSON"])
    got = findings_of(run)
    assert set(got) == {
        ("/long", "title_too_long"),
        ("/short", "title_too_short"),
        ("/none", "title_missing"),
        ("/none", "description_missing"),
        ("/twin1", "title_duplicate"),
        ("/twin2", "title_duplicate"),
        ("/twin1", "description_duplicate"),
        ("/twin2", "description_duplicate"),
        ("/wordy", "description_too_long"),
        ("/heads", "h1_multiple"),
        ("/heads", "lang_missing"),
        ("/noh1", "h1_missing"),
        ("/imgs", "images_missing_alt"),
        ("/ld", "structured_data_error"),
    }
    too_long = f"Title is {len(long_title + ' free')} characters (over 60)"
    assert got[("/long", "title_too_long")]["message"] == too_long
    assert got[("/twin1", "title_duplicate")]["detail"] == "The same title on two pages of shop"
    assert got[("/twin1", "title_duplicate")]["message"].endswith("with 1 other indexable pages")
    assert got[("/imgs", "images_missing_alt")]["message"] == "2 of 5 images have no alt text"
    assert got[("/ld", "structured_data_error")]["detail"] == "JSON-LD block 1: invalid JSON"


def test_canonical_findings(make_run: Any, findings_of: Any) -> None:
    run = make_run()
    target = run.url("/target")
    run.page("/target")
    run.page("/variant", canonical=target, canonical_key=target)
    run.page("/to-gone", canonical=run.url("/gone"), canonical_key=run.url("/gone"))
    run.page("/gone", status=404, is_html=False)
    run.page("/to-hidden", canonical=run.url("/hidden"), canonical_key=run.url("/hidden"))
    run.page("/hidden", noindex=True)
    run.page("/to-moved", canonical=run.url("/moved"), canonical_key=run.url("/moved"))
    run.page("/moved", final="/target", hops=[("/moved", 301)])
    run.page(
        "/torn", canonical=None, canonical_key=None, canonical_conflict=True,
        canonicals=[run.url("/torn"), target],
    )  # fmt: skip
    got = findings_of(run)
    elsewhere = {(p, "canonical_elsewhere") for p in ("/variant", "/to-gone", "/to-hidden")}
    assert set(got) == elsewhere | {
        ("/to-moved", "canonical_elsewhere"),
        ("/to-gone", "canonical_to_error"),
        ("/to-hidden", "canonical_to_noindex"),
        ("/to-moved", "canonical_to_redirect"),
        ("/torn", "canonical_conflict"),
        ("/gone", "status_4xx"),
    }
    assert got[("/variant", "canonical_elsewhere")]["severity"] == "low"
    assert got[("/torn", "canonical_conflict")]["message"].startswith("Declares 2 different")


def test_noindex_linked_or_in_sitemap(make_run: Any, findings_of: Any) -> None:
    run = make_run()
    run.page("/")
    run.page("/private", noindex=True)
    run.page("/listed", noindex=True)
    run.page("/quiet", noindex=True)
    run.link("/", "/private")
    run.link("/", "/listed")
    run.sitemap("/listed")
    got = findings_of(run)
    assert set(got) == {
        ("/private", "noindex_linked"),
        ("/listed", "noindex_linked"),
        ("/listed", "noindex_in_sitemap"),
    }
    assert got[("/private", "noindex_linked")]["message"] == (
        "Marked noindex but linked from 1 internal pages"
    )


def test_sitemap_orphans_and_sitemap_errors(make_run: Any, findings_of: Any) -> None:
    run = make_run()
    run.page("/")
    run.page("/linked")
    run.page("/lonely", found_via="sitemap")
    run.page("/old", final="/new", hops=[("/old", 301)])
    run.page("/dead", status=404, is_html=False, found_via="sitemap")
    run.link("/", "/linked")
    run.link("/", "/old")
    run.link("/lonely", "/lonely")  # a self-link does not make a page less orphaned
    for path in ("/", "/linked", "/lonely", "/new", "/dead", "/never-crawled"):
        run.sitemap(path)
    got = findings_of(run)
    assert set(got) == {
        ("/lonely", "sitemap_orphan"),
        ("/dead", "sitemap_orphan"),
        ("/never-crawled", "sitemap_orphan"),
        ("/dead", "sitemap_not_ok"),
        ("/dead", "status_4xx"),
    }
    assert got[("/dead", "sitemap_not_ok")]["detail"] == run.url("/sitemap.xml")


def test_deep_pages(make_run: Any, findings_of: Any) -> None:
    run = make_run()
    run.page("/four", depth=4)
    run.page("/five", depth=5)
    got = findings_of(run)
    assert set(got) == {("/five", "deep_page")}
    assert got[("/five", "deep_page")]["message"] == "Page is 5 clicks from the start page (over 4)"


def test_hreflang_invalid_and_missing_return_links(make_run: Any, findings_of: Any) -> None:
    from unsilo.items import Hreflang

    run = make_run()
    en, da, de = run.url("/en"), run.url("/da"), run.url("/de")
    run.page("/en", hreflang=[Hreflang("en", en, "head", True), Hreflang("da", da, "head", True),
                              Hreflang("de", de + "/", "head", True)])  # fmt: skip
    run.page("/da", hreflang=[Hreflang("da", da, "head", True), Hreflang("en", en, "head", True)])
    run.page("/de", hreflang=[Hreflang("de", de, "head", True),
                              Hreflang("xx_YY", da, "head", False)])  # fmt: skip
    got = findings_of(run)
    assert set(got) == {
        ("/en", "hreflang_no_return"),
        ("/de", "hreflang_invalid"),
        ("/de", "hreflang_no_return"),
    }
    assert got[("/en", "hreflang_no_return")]["detail"] == de + "/"
    assert '"xx_YY"' in got[("/de", "hreflang_invalid")]["message"]


def test_robots_blocked_start_url_is_a_crawl_level_finding_about_unsilo(
    make_run: Any, findings_of: Any
) -> None:
    run = make_run()
    run.page("/", status=None, is_html=False, error=ROBOTS_BLOCKED, error_kind="robots")
    run.page("/cart", status=None, is_html=False, error=ROBOTS_BLOCKED, error_kind="robots")
    got = findings_of(run)
    assert set(got) == {("/", "crawl_blocked_by_robots"), ("/cart", "robots_blocked_url")}
    blocked = got[("/", "crawl_blocked_by_robots")]
    assert (blocked["category"], blocked["severity"]) == ("crawl", "critical")
    message = blocked["message"]
    assert "unsilo's crawler was blocked by this site's robots.txt" in message
    assert "does not mean search engines are blocked" in message
    assert got[("/cart", "robots_blocked_url")]["severity"] == "low"


def test_non_html_start_url(make_run: Any, findings_of: Any) -> None:
    run = make_run()
    run.page("/", is_html=False, content_type="application/pdf")
    got = findings_of(run)
    assert set(got) == {("/", "start_not_html")}
    assert "application/pdf" in got[("/", "start_not_html")]["message"]


def test_zero_row_checks_hold_on_a_mixed_run(make_run: Any, findings_of: Any, query: Any) -> None:
    run = make_run()
    run.page("/", title=None, h1=[])
    run.page("/gone", status=404, is_html=False)
    run.page("/x", status=None, error="dns lookup failed", error_kind="dns")
    run.page("/y", depth=9, canonical=run.url("/gone"), canonical_key=run.url("/gone"))
    run.link("/", "/gone")
    run.sitemap("/orphan")
    findings_of(run)
    unknown = query(
        'SELECT "check" FROM findings WHERE severity IS NULL OR category IS NULL OR fix IS NULL'
    )
    assert unknown == []
    for row in query("SELECT DISTINCT category, severity FROM findings"):
        assert row["category"] in CATEGORIES
        assert row["severity"] in SEVERITIES
    assert query("SELECT * FROM findings WHERE message IS NULL OR message = ''") == []


def test_catalogue_codes_are_unique_and_well_formed(
    duck: duckdb.DuckDBPyConnection, query: Any
) -> None:
    analyse(duck, "r1")
    rows = query("SELECT * FROM check_catalogue")
    assert len({r["check"] for r in rows}) == len(rows)
    assert {r["category"] for r in rows} == CATEGORIES
    assert {r["severity"] for r in rows} <= SEVERITIES


def test_hostile_page_text_is_data_not_sql_or_format(make_run: Any, findings_of: Any) -> None:
    run = make_run()
    hostile = "'); DROP TABLE pages; -- {} %s <script>alert(1)</script> and more words here"
    run.page("/evil", title=hostile, h1=[hostile])
    got = findings_of(run)
    assert set(got) == {("/evil", "title_too_long")}
    assert got[("/evil", "title_too_long")]["detail"] == hostile
    assert got[("/evil", "title_too_long")]["message"] == (
        f"Title is {len(hostile)} characters (over 60)"
    )
