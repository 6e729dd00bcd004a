"""Product facts: availability in every schema.org spelling, prices Google can read,
microdata property values, JSON-LD wrapped the way shops wrap it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml.html import fromstring

from unsilo.extract.microdata import microdata_items
from unsilo.extract.products import availability, count, extract_products, price
from unsilo.extract.structured_data import MAX_PRODUCTS, extract_structured_data, parse_json_ld


@pytest.mark.parametrize(
    "spelling",
    [
        "https://schema.org/InStock",
        "http://schema.org/InStock",
        "https://www.schema.org/InStock/",
        "schema:InStock",
        "InStock",
        "instock",
        " https://schema.org/InStock ",
    ],
)
def test_availability_spellings_are_one_value(spelling: str) -> None:
    assert availability(spelling.strip()) == "InStock"


@pytest.mark.parametrize("other", ["Available", "https://example.org/InStock", "in stock", ""])
def test_other_availability_is_no_schema_value(other: str) -> None:
    assert availability(other) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1299.00", Decimal("1299.0000")),
        ("0", Decimal("0.0000")),
        ("19.99999", Decimal("20.0000")),
        ("12,99", None),
        ("1,299.00", None),
        ("€12", None),
        ("from 10", None),
        ("-5", None),
        ("1e3", None),
        ("123456789012345", None),  # beyond DECIMAL(18,4): never refuses a batch
        (None, None),
    ],
)
def test_price_is_a_plain_number(text: str | None, expected: Decimal | None) -> None:
    assert price(text) == expected


def test_counts_are_whole_and_not_negative() -> None:
    values = ("12", 12.0, "-1", "1.5", "x", None)
    assert [count(v) for v in values] == [12, 12, None, None, None, None]


@pytest.mark.parametrize(
    "script",
    [
        '<!-- {"@type": "Product"} -->',
        '<!--\n{"@type": "Product"}\n//-->',
        '<!-- generated -->\n{"@type": "Product"}',
        '<!-- a -->\n<!-- b -->\n{"@type": "Product"}\n<!-- end -->',
        '//<![CDATA[\n{"@type": "Product"}\n//]]>',
        '{"@type": "Product", /* comment */ "x": 1,}',
        '{"@type": "Product", "name": "a\x01b"}',
    ],
)
def test_json_ld_is_read_as_leniently_as_extruct(script: str) -> None:
    data, _ = parse_json_ld(script)
    assert data["@type"] == "Product"


def test_microdata_items_keep_their_property_values() -> None:
    html = """<div itemscope itemtype="https://schema.org/Product">
      <span itemprop="name">Boot</span><img itemprop="image" src="/b.jpg">
      <meta itemprop="sku" content="B-1">
      <time itemprop="releaseDate" datetime="2026-01-02">Jan</time>
      <span itemprop="color">red</span><span itemprop="color">blue</span>
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
        <data itemprop="price" value="10.5">10,50</data>
        <link itemprop="availability" href="https://schema.org/InStock"></div>
    </div>
    <div itemscope itemtype="https://schema.org/Organization">
      <a itemprop="url" href="/">Us</a></div>"""
    items = microdata_items(fromstring(html), "https://shop.example/p/")
    assert items == [
        {
            "@type": ["Product"],
            "name": "Boot",
            "image": "https://shop.example/b.jpg",
            "sku": "B-1",
            "releaseDate": "2026-01-02",
            "color": ["red", "blue"],
            "offers": {
                "@type": ["Offer"],
                "price": "10.5",
                "availability": "https://schema.org/InStock",
            },
        },
        {"@type": ["Organization"], "url": "https://shop.example/"},
    ]


def test_a_listing_page_keeps_its_first_products_and_its_footer_organization() -> None:
    card = (
        '<li itemscope itemtype="https://schema.org/Product"><span itemprop="name">P{}</span>'
        '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        '<meta itemprop="price" content="1.00"></div></li>'
    )
    footer = (
        '<footer itemscope itemtype="https://schema.org/Organization">'
        '<a itemprop="sameAs" href="https://www.instagram.com/shop/">Instagram</a></footer>'
    )
    cards = "".join(card.format(i) for i in range(25))
    html = f"<html><body><ul>{cards}</ul>{footer}</body></html>"
    facts = extract_structured_data(fromstring(html), "https://shop.example/c")
    products = extract_products("https://shop.example/c", facts, [])
    assert [p.name for p in products] == [f"P{i}" for i in range(MAX_PRODUCTS)]
    assert facts.claimed_same_as == ["https://www.instagram.com/shop/"]


def test_an_item_inside_another_items_markup_is_an_item_of_its_own() -> None:
    html = """<div itemscope itemtype="https://schema.org/WebPage"><span itemprop="name">Page</span>
      <div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Boot</span></div>
    </div>"""
    items = microdata_items(fromstring(html), "https://shop.example/")
    assert items == [{"@type": ["WebPage"], "name": "Page"}, {"@type": ["Product"], "name": "Boot"}]


EXTRUCT_CASES = [
    '{"@type": "Product", "name": "a"}',
    '{"@type": "Product", "name": "tab\there"}',
    '// comment\n{"@type": "Product"}',
    '<!-- comment -->\n{"@type": "Product"}',
    '{"@type": "Product", /* block */ "name": "a",}',
    '[{"@type": "Product"}, {"@type": "Offer"}]',
    '<!--\n{"@type": "Product"}\n-->',
    '{"@type": "Product", "name": "a"',  # truncated: neither reads it
]


@pytest.mark.parametrize("script", EXTRUCT_CASES)
def test_every_block_extruct_reads_is_read_alike(script: str) -> None:
    """What extruct's lenient reader makes of a block, unsilo makes of it too (and more)."""
    from extruct.jsonld import JsonLdExtractor

    html = f'<html><head><script type="application/ld+json">{script}</script></head></html>'
    try:
        theirs = JsonLdExtractor().extract(html)
    except ValueError:
        theirs = None  # extruct raises on what it cannot read
    ours, _ = parse_json_ld(script)
    if theirs is not None:
        assert (ours if isinstance(ours, list) else [ours]) == theirs
