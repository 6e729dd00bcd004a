"""robots.txt per RFC 9309: errors, redirects, size, and auditing as another user agent."""

from __future__ import annotations

import pytest

from unsilo.demo.faults import REAL_PAGES


@pytest.mark.parametrize(
    ("fault", "status", "said"),
    [
        ("robots-500", 500, "answered HTTP 500"),
        ("robots-unreachable", None, "could not be fetched"),
    ],
)
def test_a_failing_robots_txt_means_crawl_nothing_and_a_failed_run(
    crawl_faults, fault: str, status: int | None, said: str
) -> None:
    crawl = crawl_faults([fault], command="audit")
    assert crawl.returncode == 1, crawl.stderr[-3000:]
    run_status, reason = crawl.run()
    assert run_status == "failed"
    assert said in reason and "RFC 9309" in reason and "nothing was crawled" in reason
    [(got_status, rules, size)] = crawl.query("select status, rules, size_bytes from robots_txt")
    assert (got_status, rules) == (status, "disallow-all")
    assert (size is None) == (status is None)
    assert crawl.server.shop.hit_count("/robots.txt") >= 3  # asked again before giving up
    assert crawl.server.shop.hit_count("/") == 0  # the start page was never requested
    assert crawl.page("/")["error_kind"] == "robots"
    # robots.txt's failure is the finding, not "allow unsilo's user agent"
    assert crawl.query('select distinct "check" from findings') == [("robots_unavailable",)]


def test_a_missing_robots_txt_allows_everything(crawl_faults) -> None:
    crawl = crawl_faults(["robots-404"])
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert crawl.query("select status, rules, bytes_parsed from robots_txt") == [
        (404, "allow-all", 0)
    ]
    assert crawl.real_pages_reached() == set(REAL_PAGES)


def test_robots_txt_redirects_are_followed(crawl_faults) -> None:
    crawl = crawl_faults(["robots-redirect"])
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    [(status, redirects, final_url, rules)] = crawl.query(
        "select status, redirects, final_url, rules from robots_txt"
    )
    assert (status, redirects, rules) == (200, 3, "parsed")
    assert final_url == crawl.url("/robots-hop/3")
    assert crawl.page("/category/c")["error_kind"] == "robots"  # the rule behind the hops
    assert crawl.server.shop.hit_count("/category/c") == 0


def test_only_the_first_500_kib_of_robots_txt_count(crawl_faults) -> None:
    crawl = crawl_faults(["robots-huge"])
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    [(size, parsed)] = crawl.query("select size_bytes, bytes_parsed from robots_txt")
    assert size >= 10 * 1024 * 1024 and parsed == 500 * 1024
    assert crawl.page("/category/b")["error_kind"] == "robots"  # a rule in the first 500 KiB
    assert crawl.real_pages_reached() == set(REAL_PAGES) - {"/category/b"}  # not `Disallow: /`


def test_a_shop_open_only_to_googlebot_is_audited_as_googlebot(crawl_faults) -> None:
    refused = crawl_faults(["robots-googlebot-only"])
    assert refused.returncode == 1 and refused.run()[0] == "failed"
    crawl = crawl_faults(
        ["robots-googlebot-only"], "--robots-user-agent", "Googlebot", command="audit"
    )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    status, reason = crawl.run()
    assert status == "complete"
    assert "robots.txt obeyed as user agent Googlebot" in reason
    assert crawl.query("select user_agent from robots_txt") == [("Googlebot",)]
    assert crawl.real_pages_reached() == set(REAL_PAGES)
    assert "user agent Googlebot" in (crawl.out / "report.html").read_text()
