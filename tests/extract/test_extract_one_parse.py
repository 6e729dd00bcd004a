"""One parse per page: extraction reads Scrapy's cached tree and never parses again."""

from __future__ import annotations

import bs4
import lxml.html
import parsel.selector
import pytest

from unsilo.extract import extract_page


def _forbidden(*args, **kwargs):
    raise AssertionError("a second parse of the page")


@pytest.fixture
def parse_counter(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count lxml tree builds by parsel; forbid BeautifulSoup and lxml.html re-parses."""
    calls: list[int] = []
    real = parsel.selector.create_root_node

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(parsel.selector, "create_root_node", counting)
    monkeypatch.setattr(bs4, "BeautifulSoup", _forbidden)
    for name in ("fromstring", "document_fromstring", "fragment_fromstring", "parse"):
        monkeypatch.setattr(lxml.html, name, _forbidden)
    return calls


def test_extract_page_parses_once(parse_counter: list[int], every_fact) -> None:
    fixture = every_fact
    result = extract_page(fixture.response, site=fixture.site)
    assert result.page.title  # the page really was read
    assert result.page.structured_data_types
    assert parse_counter == [1]
    parsel.Selector(text="<p>another page</p>")  # the counter does see a parse
    assert parse_counter == [1, 1]


def test_the_spider_tree_is_reused(parse_counter: list[int], every_fact) -> None:
    """A selector the spider already used is not rebuilt by extraction."""
    fixture = every_fact
    fixture.response.css("a::attr(href)").getall()
    extract_page(fixture.response, site=fixture.site)
    assert parse_counter == [1]
