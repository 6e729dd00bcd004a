"""Back-off on 429/503 with Retry-After, and redirects to non-HTTP schemes."""

from __future__ import annotations

from unsilo.demo.faults import BAD_REDIRECTS


def test_retry_after_is_honoured_and_a_refusal_is_not_called_a_missing_page(crawl_faults) -> None:
    crawl = crawl_faults(["retry-after"], command="audit")
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    shop = crawl.server.shop
    busy, maintenance = shop.hit_times("/busy"), shop.hit_times("/maintenance")
    assert len(busy) == 2 and busy[1] - busy[0] >= 0.9  # Retry-After: 1 (seconds)
    assert len(maintenance) == 2 and maintenance[1] - maintenance[0] >= 0.9  # an HTTP date
    assert crawl.page("/busy")["status"] == 200 and crawl.page("/maintenance")["status"] == 200
    # always 429: asked again 3 times (UNSILO_RETRY_AFTER_TIMES), then recorded as is
    assert shop.hit_count("/refusing") == 4
    assert crawl.page("/refusing")["status"] == 429
    [(url, message, _detail)] = crawl.findings("status_refused")
    assert url == crawl.url("/refusing") and "refused" in message
    [(fix,)] = crawl.query("select distinct fix from findings where \"check\" = 'status_refused'")
    assert "restore" not in fix.lower()
    assert crawl.findings("status_4xx") == [] and crawl.findings("broken_internal_link") == []


def test_redirects_to_non_http_schemes_are_recorded_and_never_followed(crawl_faults) -> None:
    crawl = crawl_faults(["bad-redirects"], command="audit")
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert "ValueError" not in crawl.stderr
    for path, target in BAD_REDIRECTS.items():
        page = crawl.page(path)
        assert (page["status"], page["location"], page["error"]) == (302, target, None)
    stored = crawl.query(
        "select url from pages where not (url like 'http%' and final_url like 'http%')"
    )
    assert stored == []  # the javascript:, data: and file: targets were never fetched
    findings = crawl.findings("redirect_bad_scheme")
    assert [(url, detail) for url, _m, detail in findings] == sorted(
        (crawl.url(path), target) for path, target in BAD_REDIRECTS.items()
    )
    assert any("file:" in message for _u, message, _d in findings)
