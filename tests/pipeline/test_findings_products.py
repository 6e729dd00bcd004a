"""findings_products: given the product rows of a small run, exactly these findings come out
(given rows -> expected rows): Google's product rich-result requirements, and disagreement
between the structured data, product:* Open Graph and the h1."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb
import pytest

from tests.pipeline.conftest import SITE, RunBuilder
from unsilo.items import ProductItem, ProductOffer
from unsilo.pipeline.analyse import analyse
from unsilo.urls import url_key

PRODUCT_CHECKS = {
    "product_name_missing", "product_no_offer_review_rating", "offer_price_missing",
    "offer_price_invalid", "offer_currency_invalid", "offer_availability_invalid",
    "rating_incomplete", "product_price_disagrees", "product_currency_disagrees",
    "product_availability_disagrees", "product_name_not_h1",
}  # fmt: skip


def offer(price: str | None = "1299.00", currency: str | None = "DKK", **facts: Any):
    facts.setdefault("availability_text", "https://schema.org/InStock")
    facts.setdefault("availability", "InStock")
    typed = Decimal(price) if price and price.replace(".", "").isdigit() else None
    return ProductOffer(
        type=facts.pop("type", "Offer"), price=typed, price_text=price, currency=currency, **facts
    )


def product(run: RunBuilder, path: str, source: str = "json-ld", **facts: Any) -> None:
    offers = facts.pop("offers", [offer()])
    first = offers[0] if offers else ProductOffer(type="Offer")
    facts.setdefault("name", f"Heading {path}")
    run.items.append(
        ProductItem(
            url_key=url_key(SITE + path),
            source=source,
            position=facts.pop("position", 1),
            types=[] if source == "open-graph" else ["Product"],
            offers=offers,
            price=first.price,
            price_text=first.price_text,
            currency=first.currency,
            availability=first.availability,
            **facts,
        )
    )


def open_graph(run: RunBuilder, path: str, **offer_facts: Any) -> None:
    product(run, path, source="open-graph", name=None, offers=[offer(**offer_facts)])


@pytest.fixture
def product_findings_of(duck: duckdb.DuckDBPyConnection, query: Any) -> Any:
    def run(builder: RunBuilder) -> dict[tuple[str, str], dict[str, Any]]:
        builder.load()
        analyse(duck, builder.run_id)
        rows = query(
            'SELECT * FROM findings WHERE run_id = $r AND list_contains($checks, "check")',
            r=builder.run_id,
            checks=sorted(PRODUCT_CHECKS),
        )
        assert all(r["severity"] and r["fix"] for r in rows), "every check is in the catalogue"
        got = {(r["url"].removeprefix(SITE), r["check"]): r for r in rows}
        assert len(got) == len(rows), "one finding per (page, check)"
        return got

    return run


def test_a_complete_product_agreeing_everywhere_has_no_findings(
    make_run: Any, product_findings_of: Any
) -> None:
    run = make_run()
    run.page("/p")
    product(run, "/p", rating_value=4.5, review_count=3, has_rating=True)
    product(run, "/p", source="microdata", name="HEADING  /p")
    open_graph(run, "/p", availability_text="in stock")
    run.page("/range")
    product(run, "/range", offers=[offer("10.00", type="AggregateOffer", high_price=Decimal(20))])
    open_graph(run, "/range", price="15.00")
    assert product_findings_of(run) == {}


def test_google_requirements(make_run: Any, product_findings_of: Any) -> None:
    run = make_run()
    for path in ("/nameless", "/bare", "/prices", "/rating"):
        run.page(path)
    product(run, "/nameless", name=None)
    product(run, "/bare", offers=[])
    product(
        run,
        "/prices",
        offers=[
            offer(None),
            offer("1.299,00 kr.", currency="kr."),
            offer("5.00", currency=None, availability=None, availability_text="Available"),
        ],
    )
    product(run, "/rating", has_rating=True, rating_value=4.0)
    product(run, "/rating", position=2, has_rating=True, review_count=2)
    got = product_findings_of(run)
    assert set(got) == {
        ("/nameless", "product_name_missing"),
        ("/bare", "product_no_offer_review_rating"),
        ("/prices", "offer_price_missing"),
        ("/prices", "offer_price_invalid"),
        ("/prices", "offer_currency_invalid"),
        ("/prices", "offer_availability_invalid"),
        ("/rating", "rating_incomplete"),
    }
    assert got[("/nameless", "product_name_missing")]["severity"] == "high"
    assert got[("/prices", "offer_price_invalid")]["detail"] == "1.299,00 kr."
    assert got[("/rating", "rating_incomplete")]["message"] == (
        "The aggregateRating has neither ratingCount nor reviewCount (2 products, first "
        "JSON-LD product 1)"
    )


def test_open_graph_and_h1_disagreements(make_run: Any, product_findings_of: Any) -> None:
    run = make_run()
    run.page("/p", h1=["Trail Pro boot"])
    product(run, "/p", name="Rain Jacket")
    open_graph(run, "/p", price="999.00", currency="EUR", availability="OutOfStock")
    run.page("/listing")
    product(run, "/listing", name="One")
    product(run, "/listing", name="Two", position=2)
    got = product_findings_of(run)
    assert set(got) == {
        ("/p", "product_price_disagrees"),
        ("/p", "product_currency_disagrees"),
        ("/p", "product_availability_disagrees"),
        ("/p", "product_name_not_h1"),
    }
    assert got[("/p", "product_price_disagrees")]["message"] == (
        "product:price:amount is 999.00, the structured data says 1299.00"
    )
    assert got[("/p", "product_name_not_h1")]["message"] == (
        'The product is named "Rain Jacket", the h1 says "Trail Pro boot"'
    )


def test_products_of_pages_google_does_not_index_are_not_judged(
    make_run: Any, product_findings_of: Any
) -> None:
    run = make_run()
    run.page("/gone", status=404, is_html=False)
    run.page("/hidden", noindex=True)
    run.page("/p?colour=red", canonical=run.url("/p"), canonical_key=url_key(run.url("/p")))
    for path in ("/gone", "/hidden", "/p?colour=red"):
        product(run, path, name=None, offers=[])
    assert product_findings_of(run) == {}
