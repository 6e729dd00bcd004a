"""The checks that follow Lighthouse's SEO audits: given the facts the extractors record,
exactly these findings come out, and the check_references seed names an audit for each."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from unsilo.items import Hreflang, RobotsTxtItem, RobotsTxtProblem, UncrawlableAnchor
from unsilo.pipeline.analyse import analyse
from unsilo.urls import url_key

LIGHTHOUSE_CHECKS = {
    "blocked_from_indexing", "blocked_for_search_bots", "canonical_invalid",
    "canonical_relative", "canonical_to_root", "canonical_to_alternate",
    "hreflang_href_missing", "hreflang_href_relative", "uncrawlable_anchors",
    "link_text_generic", "robots_txt_invalid", "robots_unavailable",
}  # fmt: skip


def robots_fact(host: str, status: int | None, **validity: Any) -> RobotsTxtItem:
    """The robots.txt fact the fetch layer records for ``host`` (``unsilo.robots_fetch``)."""
    url = f"{host}/robots.txt"
    rules = "parsed" if status is not None and status < 400 else "disallow-all"
    if status is not None and 400 <= status < 500:
        rules = "allow-all"
    return RobotsTxtItem(
        url=url, url_key=url_key(url), host=host, final_url=url, status=status,
        size_bytes=0, bytes_parsed=0, redirects=0, rules=rules, user_agent="unsilo", **validity,
    )  # fmt: skip


@pytest.fixture
def checks_of(duck: duckdb.DuckDBPyConnection, query: Any) -> Any:
    """Analyse a run; its findings of the Lighthouse-derived checks as {(path, check): row}."""

    def run(builder: Any) -> dict[tuple[str, str], dict[str, Any]]:
        builder.load()
        analyse(duck, builder.run_id)
        rows = query("SELECT * FROM findings WHERE run_id = $r", r=builder.run_id)
        return {
            (r["url"].removeprefix(builder.site), r["check"]): r
            for r in rows
            if r["check"] in LIGHTHOUSE_CHECKS
        }

    return run


def test_clean_pages_raise_none_of_them(make_run: Any, checks_of: Any) -> None:
    run = make_run()
    run.page("/")
    run.page("/a", hreflang=[Hreflang("en", run.url("/a"), "head", True)])
    run.link("/", "/a", anchor="Trail boots")
    run.items.append(robots_fact(run.site, 200))
    assert checks_of(run) == {}


def test_is_crawlable(make_run: Any, checks_of: Any) -> None:
    run = make_run()
    run.page("/")
    run.page("/all", noindex=True, robots_blocked_agents=["robots"])
    run.page("/gone", noindex=True, robots_blocked_agents=["robots"],
             unavailable_after="2010-06-25T23:00:00+00:00")  # fmt: skip
    run.page("/bing", robots_blocked_agents=["bingbot"])
    got = checks_of(run)
    assert set(got) == {
        ("/all", "blocked_from_indexing"),
        ("/gone", "blocked_from_indexing"),
        ("/bing", "blocked_for_search_bots"),
    }
    assert got[("/gone", "blocked_from_indexing")]["detail"] == (
        "unavailable_after 2010-06-25T23:00:00+00:00"
    )
    assert got[("/bing", "blocked_for_search_bots")]["message"] == (
        "The page tells bingbot not to index it"
    )
    assert got[("/bing", "blocked_for_search_bots")]["severity"] == "medium"


def test_canonical(make_run: Any, checks_of: Any) -> None:
    run = make_run()
    run.page("/")
    run.page("/bad", canonical=None, canonical_key=None, canonicals=[],
             canonical_invalid=["https:// example.com"])  # fmt: skip
    run.page("/rel", canonical_relative=["/rel"])
    run.page("/deep", canonical=run.url("/"), canonical_key=url_key(run.url("/")),
             canonicals=[run.url("/")], canonical_to_root=True)  # fmt: skip
    run.page("/en/x", canonical=run.url("/de/x"), canonical_key=url_key(run.url("/de/x")),
             canonicals=[run.url("/de/x")], canonical_to_alternate=True)  # fmt: skip
    got = checks_of(run)
    assert set(got) == {
        ("/bad", "canonical_invalid"),
        ("/rel", "canonical_relative"),
        ("/deep", "canonical_to_root"),
        ("/en/x", "canonical_to_alternate"),
    }
    assert got[("/bad", "canonical_invalid")]["message"] == (
        'The canonical "https:// example.com" is not a valid URL, so it is ignored'
    )
    assert got[("/deep", "canonical_to_root")]["severity"] == "high"


def test_hreflang_hrefs(make_run: Any, checks_of: Any) -> None:
    run = make_run()
    run.page("/")
    run.page("/a", hreflang=[
        Hreflang("es", "", "head", True, None, "missing"),
        Hreflang("fr", run.url("/fr/"), "head", True, None, "relative"),
    ])  # fmt: skip
    got = checks_of(run)
    assert set(got) == {("/a", "hreflang_href_missing"), ("/a", "hreflang_href_relative")}
    assert got[("/a", "hreflang_href_missing")]["detail"] is None
    assert got[("/a", "hreflang_href_relative")]["detail"] == run.url("/fr/")


def test_links_that_cannot_be_crawled_or_read(make_run: Any, checks_of: Any) -> None:
    run = make_run()
    run.page("/", uncrawlable_anchor_count=3, uncrawlable_anchors=[
        UncrawlableAnchor(None, "Menu", "no-href", True),
        UncrawlableAnchor("javascript:void(0)", "Open", "javascript", True),
        UncrawlableAnchor(None, "", "no-href", True),
        UncrawlableAnchor("ftp://files.example/a", "Files", "ftp", False),
    ])  # fmt: skip
    run.page("/a")
    run.link("/", "/a", anchor="click here", generic_text=True)
    run.link("/", "/a", anchor="read more", generic_text=True)
    run.link("/a", "/", anchor="Home")
    got = checks_of(run)
    assert set(got) == {("/", "uncrawlable_anchors"), ("/", "link_text_generic")}
    assert got[("/", "uncrawlable_anchors")]["detail"] == (
        "(no href: Menu) javascript:void(0) (no href)"
    )
    assert got[("/", "uncrawlable_anchors")]["message"].startswith("3 links have no crawlable")
    assert got[("/", "link_text_generic")]["message"] == (
        "2 links have text that does not say where it goes"
    )
    assert got[("/", "link_text_generic")]["detail"] == '"click here" "read more"'


def test_robots_txt(make_run: Any, checks_of: Any) -> None:
    run = make_run()
    run.page("/")
    problems = [
        RobotsTxtProblem(1, "Disallow: /x", "No user-agent specified"),
        RobotsTxtProblem(4, "Foo: bar", "Unknown directive"),
    ]
    run.items.append(robots_fact(run.site, 200, errors=2, problems=problems))
    # an og:image host's broken robots.txt is not the shop's to fix
    run.items.append(robots_fact("https://cdn.example", 200, errors=5, problems=problems))
    got = checks_of(run)
    assert set(got) == {("/robots.txt", "robots_txt_invalid")}
    assert got[("/robots.txt", "robots_txt_invalid")]["message"] == "robots.txt has 2 errors"
    assert got[("/robots.txt", "robots_txt_invalid")]["detail"] == (
        "line 1: No user-agent specified (Disallow: /x); line 4: Unknown directive (Foo: bar)"
    )
    down = make_run("r2")
    down.page("/")
    down.items.append(robots_fact(down.site, 503))
    assert {check for _path, check in checks_of(down)} == {"robots_unavailable"}
    missing = make_run("r3")
    missing.page("/")
    missing.items.append(robots_fact(missing.site, 404))
    assert checks_of(missing) == {}


def test_every_reference_names_a_catalogued_check(query: Any, duck: Any) -> None:
    analyse(duck, "none")  # builds the seeds
    refs = query("SELECT * FROM check_references")
    catalogue = {r["check"] for r in query("SELECT * FROM check_catalogue")}
    assert {r["check"] for r in refs} <= catalogue
    assert {r["check"] for r in refs} >= LIGHTHOUSE_CHECKS
    assert {r["audit"] for r in refs} == {
        "document-title", "meta-description", "http-status-code", "is-crawlable", "hreflang",
        "canonical", "link-text", "crawlable-anchors", "robots-txt", "image-alt",
    }  # fmt: skip


def test_the_report_method_section_lists_each_audit_with_its_checks(duck: Any) -> None:
    from unsilo.reports.method import method_audits

    analyse(duck, "none")
    audits = {a.audit: a for a in method_audits(duck)}
    assert len(audits) == 10 and {a.source for a in audits.values()} == {"Lighthouse"}
    assert audits["canonical"].checks == [
        "Conflicting canonicals",
        "Canonical is not a valid URL",
        "Canonical is a relative URL",
        "Canonical points to the home page",
        "Canonical points to another language version",
    ]
    assert audits["image-alt"].checks == ["Images without alt text"]
