"""The audit of the demo shop finds exactly the product problems the shop was built with:
the broken JSON-LD offer and the stale og:price, and nothing on the valid offers."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.pipeline.test_findings_products import PRODUCT_CHECKS
from unsilo.demo.expectations import build_expectations


def test_demo_audit_finds_the_product_problems_the_shop_was_built_with(
    demo_audit, demo_shop, demo_server
) -> None:
    offers = build_expectations(demo_shop)["product_offers"]
    base = demo_server.url.rstrip("/")
    checks = sorted(PRODUCT_CHECKS)
    rows = demo_audit.query(
        'select "check", url from findings where list_contains(?, "check")', [checks]
    )
    found = {(check, url.removeprefix(base)) for check, url in rows}
    (broken,), (stale,) = offers["broken"], offers["stale_og"]
    assert found == {
        ("offer_price_invalid", broken),
        ("offer_currency_invalid", broken),
        ("offer_availability_invalid", broken),
        ("product_price_disagrees", stale),
    }
    [(products, priced)] = demo_audit.query(
        "select count(distinct url_key), count(*) filter (where price is not null) "
        "from page_products where source = 'json-ld'"
    )
    assert products == len(offers["valid"]) + 2  # the broken one read through its <!-- -->
    assert priced == products - 1
    lenient = demo_audit.query("select url from findings where \"check\" = 'structured_data_error'")
    assert {url.removeprefix(base) for (url,) in lenient} == {broken}


def test_demo_report_shows_the_product_findings_with_their_fix(demo_audit) -> None:
    html = (demo_audit.out / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    shown = {a["data-check"]: a for a in soup.select("article.finding")}
    for check in ("offer_price_invalid", "offer_currency_invalid", "product_price_disagrees"):
        assert check in shown, check
        assert "Fix:" in shown[check].select_one("p.fix").get_text()
    assert "plain number" in shown["offer_price_invalid"].get_text()
