"""Products: what a page says it sells, from JSON-LD, microdata and ``product:*`` Open Graph.

Each schema.org ``Product`` (or a subtype: ``ProductGroup``, ``IndividualProduct``,
``Vehicle`` …) becomes one ``ProductItem``, with its offers, identifiers, brand and
rating read the way Google's product rich results read them: ``price`` (or
``priceSpecification.price``; ``lowPrice`` of an ``AggregateOffer``) must be a plain
number with a ``.`` decimal point, ``availability`` a schema.org ``ItemAvailability``
value in any spelling (``https://schema.org/InStock``, ``http://schema.org/InStock``,
``schema:InStock``, ``InStock``). What is given but unreadable is kept as text beside
the empty typed value, so the models can say "no price" and "a price nobody can read"
apart. The page's ``product:*`` Open Graph properties make one more row (source
``open-graph``), so the models compare what each source claims.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from unsilo.extract.dom import collapse
from unsilo.extract.structured_data import StructuredFacts, node_types, same_as_urls, walk
from unsilo.items import MetaProperty, ProductItem, ProductOffer

AVAILABILITY = {  # schema.org ItemAvailability, by lower-cased name
    name.lower(): name
    for name in ("BackOrder", "Discontinued", "InStock", "InStoreOnly", "LimitedAvailability")
    + ("MadeToOrder", "OnlineOnly", "OutOfStock", "PreOrder", "PreSale", "Reserved", "SoldOut")
}
OG_AVAILABILITY = {  # Facebook / Pinterest catalogue words → schema.org
    "in stock": "InStock",
    "out of stock": "OutOfStock",
    "oos": "OutOfStock",
    "preorder": "PreOrder",
    "pre-order": "PreOrder",
    "discontinued": "Discontinued",
}
OG_PRICE = ("product:price:amount", "og:price:amount")
OG_CURRENCY = ("product:price:currency", "og:price:currency")
OG_AVAILABILITY_PROPERTIES = ("product:availability", "og:availability")
GTIN_PROPERTIES = ("gtin", "gtin13", "gtin12", "gtin14", "gtin8", "isbn")
_PLAIN_NUMBER = re.compile(r"^\d{1,14}(?:\.\d+)?$")
_SCHEMA_ENUM = re.compile(r"^(?:(?:https?://)?(?:www\.)?schema\.org/|schema:)?(\w+)/?$", re.I)
_CENTS = Decimal("0.0001")
MAX_TEXT = 300


def extract_products(
    url_key: str, structured: StructuredFacts, og: list[MetaProperty]
) -> list[ProductItem]:
    """Every product of the page: JSON-LD first, then microdata, then Open Graph.

    The Product nodes were found by ``extract_structured_data``'s one walk of the markup.
    """
    references = _References(structured.json_ld)
    positions: dict[str, int] = {}
    found = []
    for source, node in structured.products:
        positions[source] = positions.get(source, 0) + 1
        found.append(_product(url_key, source, positions[source], node, references))
    og_product = _open_graph_product(url_key, og)
    return [*found, og_product] if og_product else found


class _References:
    """``@id`` → node, for ``{"@id": "#offer"}`` references inside an ``@graph``; the index
    is built on the first reference, so pages without any never walk the data again."""

    def __init__(self, data: list[Any]) -> None:
        self._data = data
        self._index: dict[str, dict[str, Any]] | None = None

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        if set(node) != {"@id"} or not isinstance(node["@id"], str):
            return node
        if self._index is None:
            self._index = {
                n["@id"]: n
                for n in walk(self._data)
                if isinstance(n.get("@id"), str) and len(n) > 1
            }
        return self._index.get(node["@id"], node)


def _product(
    url_key: str, source: str, position: int, node: dict[str, Any], ids: _References
) -> ProductItem:
    offers = [_offer(o) for o in _nodes(node.get("offers"), ids)]
    rating = next(iter(_nodes(node.get("aggregateRating"), ids)), None)
    first = offers[0] if offers else ProductOffer(type="Offer")
    return ProductItem(
        url_key=url_key,
        source=source,
        position=position,
        types=node_types(node),
        name=text(node.get("name")),
        brand=text(node.get("brand")) or text(node.get("manufacturer")),
        sku=text(node.get("sku")),
        gtin=next(filter(None, (text(node.get(p)) for p in GTIN_PROPERTIES)), None),
        mpn=text(node.get("mpn")),
        offers=offers,
        price=first.price,
        price_text=first.price_text,
        currency=first.currency,
        availability=first.availability,
        has_rating="aggregateRating" in node,
        rating_value=number(rating.get("ratingValue")) if rating else None,
        rating_count=count(rating.get("ratingCount")) if rating else None,
        review_count=count(rating.get("reviewCount")) if rating else None,
        reviews=len(_nodes(node.get("review"), ids)) + len(_nodes(node.get("reviews"), ids)),
        same_as=same_as_urls(node),
    )


def _nodes(value: Any, ids: _References | None = None) -> list[dict[str, Any]]:
    """A property's item values (one or a list), with ``@id`` references looked up."""
    values = value if isinstance(value, list) else [value]
    nodes = [v for v in values if isinstance(v, dict)]
    return [ids.resolve(n) for n in nodes] if ids is not None else nodes


def _offer(node: dict[str, Any]) -> ProductOffer:
    aggregate = "AggregateOffer" in node_types(node)
    spec = next(iter(_nodes(node.get("priceSpecification"))), {})
    raw_price = node.get("lowPrice") if aggregate and "lowPrice" in node else node.get("price")
    price_text = text(raw_price if raw_price is not None else spec.get("price"))
    availability_text = text(node.get("availability"))
    return ProductOffer(
        type="AggregateOffer" if aggregate else "Offer",
        price=price(price_text),
        price_text=price_text,
        high_price=price(text(node.get("highPrice"))) if aggregate else None,
        currency=text(node.get("priceCurrency")) or text(spec.get("priceCurrency")),
        availability=availability(availability_text),
        availability_text=availability_text,
    )


def _open_graph_product(url_key: str, og: list[MetaProperty]) -> ProductItem | None:
    """The ``product:*`` (or Pinterest's ``og:price:*``) facts, when the page has any."""
    first = {}
    for meta in og:
        first.setdefault(meta.property, meta.content)
    price_text = _first_of(first, OG_PRICE)
    currency = _first_of(first, OG_CURRENCY)
    availability_text = _first_of(first, OG_AVAILABILITY_PROPERTIES)
    if price_text is None and currency is None and availability_text is None:
        return None
    offer = ProductOffer(
        type="Offer",
        price=price(price_text),
        price_text=price_text,
        currency=currency,
        availability=OG_AVAILABILITY.get((availability_text or "").lower())
        or availability(availability_text),
        availability_text=availability_text,
    )
    return ProductItem(
        url_key=url_key,
        source="open-graph",
        position=1,
        offers=[offer],
        price=offer.price,
        price_text=price_text,
        currency=currency,
        availability=offer.availability,
    )


def _first_of(values: dict[str, str], names: Iterable[str]) -> str | None:
    return next((values[n].strip() for n in names if values.get(n, "").strip()), None)


def text(value: Any) -> str | None:
    """One text value: a string, a number, ``{"@value": …}`` or a named node (a ``Brand``),
    the first usable one of a list; whitespace collapsed, None when empty.

    >>> text([{"@type": "Brand", "name": " Acme "}]), text(12.5), text({"@id": "#x"})
    ('Acme', '12.5', None)
    """
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            item = item.get("@value", item.get("name"))
        if isinstance(item, bool):
            continue
        if isinstance(item, int | float | str):
            found = collapse(str(item))[:MAX_TEXT]
            if found:
                return found
    return None


def price(value: str | None) -> Decimal | None:
    """A price Google can read: digits with an optional ``.`` fraction, under 10¹⁴.

    >>> price("1299.00"), price("12,99"), price("€ 12"), price("1e3"), price(None)
    (Decimal('1299.0000'), None, None, None, None)
    """
    if value is None or not _PLAIN_NUMBER.match(value):
        return None
    try:
        return Decimal(value).quantize(_CENTS)
    except InvalidOperation:
        return None


def availability(value: str | None) -> str | None:
    """The schema.org ``ItemAvailability`` name of any of its spellings, else None.

    >>> availability("http://schema.org/InStock"), availability("instock")
    ('InStock', 'InStock')
    >>> availability("https://schema.org/Available") is None
    True
    """
    match = _SCHEMA_ENUM.match(value or "")
    return AVAILABILITY.get(match.group(1).lower()) if match else None


def number(value: Any) -> float | None:
    """A rating value: a finite number, or text that is one (``"4.5"``)."""
    raw = text(value)
    try:
        result = float(raw) if raw is not None else None
    except ValueError:
        return None
    return result if result is not None and math.isfinite(result) else None


def count(value: Any) -> int | None:
    """A count: a whole number from 0 up (``"12"``, ``12``, ``12.0``)."""
    result = number(value)
    return int(result) if result is not None and result >= 0 and result.is_integer() else None
