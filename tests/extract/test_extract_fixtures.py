"""Every fixture folder's expected output is the spec for ``extract_page``."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from unsilo.extract import ExtractedPage, extract_page
from unsilo.items import PageItem, PageSocialItem
from unsilo.pipeline.feeds import serialize_stdlib

PARTS = {
    "page": PageItem,
    "links": None,
    "social": PageSocialItem,
    "profile_links": None,
    "products": None,
}


def _as_json(value: Any) -> Any:
    """What the feed stores (a ``Decimal`` price is its exact text)."""
    return json.loads(serialize_stdlib([value])) if dataclasses.is_dataclass(value) else value


def _compare(result: ExtractedPage, expected: dict[str, Any]) -> None:
    assert set(expected) <= set(PARTS), f"unknown parts in expected.json: {set(expected)}"
    for part, expected_value in expected.items():
        actual = getattr(result, part)
        item_type = PARTS[part]
        if item_type is not None and expected_value is not None:
            fields = {f.name for f in dataclasses.fields(item_type)}
            assert set(expected_value) <= fields, f"{part}: unknown fields"
            assert actual is not None, f"{part} is None"
            actual_json = _as_json(actual)
            subset = {name: actual_json[name] for name in expected_value}
            assert subset == expected_value, part
        elif isinstance(actual, list):
            assert [_as_json(a) for a in actual] == expected_value, part
        else:
            assert _as_json(actual) == expected_value, part


def test_fixture_output_matches_expected(page_fixture) -> None:
    result = extract_page(page_fixture.response, site=page_fixture.site)
    assert page_fixture.expected, f"{page_fixture.name}/expected.json is empty"
    _compare(result, page_fixture.expected)


def test_every_fact_fixture_checks_every_field(page_fixture) -> None:
    """The ``every_fact`` fixture is the full spec: it must name every field."""
    if page_fixture.name != "every_fact":
        return
    for part in ("page", "social"):
        fields = {f.name for f in dataclasses.fields(PARTS[part])}
        assert set(page_fixture.expected[part]) == fields
    assert page_fixture.expected["links"] and page_fixture.expected["profile_links"]
    assert page_fixture.expected["products"]
