"""Fixture pages for the extractors, web-poet style: each folder under ``fixtures/`` is
an input response (``body.*`` + ``meta.json``) and its expected output (``expected.json``).
See ``README.md`` for the convention.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from unsilo.urls import registrable_domain

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(slots=True)
class PageFixture:
    name: str
    response: Response
    site: str
    expected: dict[str, Any]


def build_response(url: str, body: bytes, headers: dict[str, Any], status: int = 200) -> Response:
    """The response Scrapy itself would build: class chosen from headers, URL and body."""
    scrapy_headers = Headers(headers)
    cls = responsetypes.from_args(headers=scrapy_headers, url=url, body=body)
    return cls(url=url, body=body, headers=scrapy_headers, status=status)


def load_fixture(folder: Path) -> PageFixture:
    meta = json.loads((folder / "meta.json").read_text())
    (body_file,) = folder.glob("body.*")
    response = build_response(
        meta["url"], body_file.read_bytes(), meta.get("headers", {}), meta.get("status", 200)
    )
    host = response.url.split("/")[2]
    return PageFixture(
        name=folder.name,
        response=response,
        site=meta.get("site") or registrable_domain(host),
        expected=json.loads((folder / "expected.json").read_text()),
    )


def fixture_folders() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if (p / "meta.json").exists())


@pytest.fixture(params=fixture_folders(), ids=lambda p: p.name)
def page_fixture(request: pytest.FixtureRequest) -> PageFixture:
    return load_fixture(request.param)


@pytest.fixture
def html_response():
    """Build an ``HtmlResponse`` for a snippet: ``html_response(body, url=…, headers=…)``."""

    def make(body: str | bytes, url: str = "https://shop.example/p", **headers: str) -> Response:
        raw = body.encode() if isinstance(body, str) else body
        all_headers = {"Content-Type": "text/html; charset=utf-8", **headers}
        return build_response(url, raw, {k.replace("_", "-"): v for k, v in all_headers.items()})

    return make


@pytest.fixture
def every_fact() -> PageFixture:
    """The fixture page with every fact present, freshly built (its selector unused)."""
    return load_fixture(FIXTURES / "every_fact")
