"""The spider trap (infinite calendar + random ?sid= on every link): bounded, recognised,
and the real shop still reached first."""

from __future__ import annotations

from bs4 import BeautifulSoup

from unsilo.demo.faults import REAL_PAGES


def test_a_trap_is_recognised_stopped_and_named_while_the_shop_is_reached(crawl_faults) -> None:
    crawl = crawl_faults(["trap"], command="audit")
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    status, reason = crawl.run()
    assert status == "complete"
    assert "crawl traps" in reason and "sid" in reason and "/calendar/*/*" in reason
    assert crawl.real_pages_reached() == set(REAL_PAGES)
    [(pages,)] = crawl.query("select count(*) from pages")
    assert pages < 400  # the trap ran 22,246 pages in 240 s before; now it ends by itself
    traps = {(kind, pattern): urls for kind, pattern, urls in crawl.query(
        "select kind, pattern, urls from crawl_traps"
    )}  # fmt: skip
    assert set(traps) == {("query", "sid"), ("path", "/calendar/*/*")}
    assert all(urls >= 50 for urls in traps.values())
    findings = crawl.findings("crawl_trap")
    assert sorted(detail for _url, _msg, detail in findings) == ["/calendar/*/*", "sid"]
    assert any('"sid"' in message and "URLs" in message for _u, message, _d in findings)
    report = BeautifulSoup((crawl.out / "report.html").read_text(), "html.parser").get_text()
    assert "Spider trap" in report


def test_shallow_pages_come_before_the_trap_even_without_the_guard(crawl_faults) -> None:
    # breadth-first: with the trap guard off and a page bound, every real page (the
    # sitemap-only one included) is still fetched before the bound ends the run
    crawl = crawl_faults(["trap"], "--trap-repeats", "0", "--max-pages", "150")
    assert crawl.returncode == 3, crawl.stderr[-3000:]
    status, reason = crawl.run()
    assert (status, reason) == (
        "partial",
        "page limit reached (150 pages): the shop may hold more than was crawled",
    )
    assert crawl.real_pages_reached() == set(REAL_PAGES)
    [(deepest,)] = crawl.query("select max(depth) from pages where found_via <> 'sitemap'")
    assert deepest <= 4


def test_a_run_stopped_by_the_depth_bound_is_partial_and_says_so(crawl_faults) -> None:
    crawl = crawl_faults(["trap"], "--trap-repeats", "0", "--max-depth", "2")
    assert crawl.returncode == 3, crawl.stderr[-3000:]
    status, reason = crawl.run()
    assert status == "partial"
    assert reason.startswith("depth limit reached (2 clicks): ")
    assert "links deeper were not followed" in reason
    [(deepest,)] = crawl.query("select max(depth) from pages")
    assert deepest == 2
