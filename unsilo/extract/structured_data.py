"""Structured data: schema.org types, ``sameAs`` and review markup from JSON-LD,
microdata and (opt-in) RDFa.

JSON-LD is parsed here, not by extruct, because extruct raises on the invalid blocks
shops ship every day (comments, control characters, trailing commas): a block is tried
strictly, then leniently, and every failure is reported in ``errors``, never raised.
Microdata types and ``sameAs`` come straight off the existing tree (``microdata.py``).
RDFa needs extruct's DOM-flavoured tree, a second parse (about 35 ms), which is why it
is opt-in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jstyleson
from lxml import etree
from lxml.html import HtmlElement

from unsilo.extract.microdata import microdata_same_as, microdata_types
from unsilo.urls import is_http_url

SCRIPTS_WITH_TYPE = etree.XPath("//script[@type]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HTML_COMMENT = re.compile(r"^\s*<!--|-->\s*$")
SAME_AS_OWNERS = frozenset(
    {"Organization", "Corporation", "LocalBusiness", "Store", "OnlineStore", "OnlineBusiness"}
    | {"Person", "Brand", "NGO"}
)
REVIEW_TYPES = frozenset({"Review", "AggregateRating"})
MAX_ERROR = 200
MAX_TYPE = 100


@dataclass(slots=True)
class StructuredFacts:
    types: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    review_markup: bool = False


def short_type(value: str) -> str:
    """``http://schema.org/Product`` / ``schema:Product`` → ``Product``."""
    return re.split(r"[/#:]", value.strip())[-1][:MAX_TYPE]


def parse_json_ld(text: str) -> tuple[Any, str | None]:
    """``(data, problem)``: strict JSON first, then with comments, control characters
    and trailing commas removed. ``data`` is None when even that fails."""
    try:
        return json.loads(text, strict=False), None
    except (ValueError, RecursionError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    cleaned = _CONTROL.sub(" ", _HTML_COMMENT.sub("", text))
    try:
        return jstyleson.loads(cleaned, strict=False), f"invalid JSON, read leniently ({problem})"
    except Exception as exc:  # noqa: BLE001 - hostile input may fail in any way
        return None, f"invalid JSON, skipped ({problem}; lenient: {type(exc).__name__})"


def json_ld_blocks(root: HtmlElement, errors: list[str]) -> list[Any]:
    """Every ``<script type=application/ld+json>`` block that could be read."""
    blocks = []
    scripts = [
        s
        for s in SCRIPTS_WITH_TYPE(root)
        if s.get("type", "").split(";")[0].strip().lower() == "application/ld+json"
    ]
    for number, script in enumerate(scripts, 1):
        data, problem = parse_json_ld(script.text or "")
        if problem:
            errors.append(f"json-ld block {number}: {problem}"[:MAX_ERROR])
        if data is not None:
            blocks.append(data)
    return blocks


def walk(data: Any) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON value, depth first in document order, without recursion
    (hostile nesting must not blow the stack)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def node_types(node: dict[str, Any], key: str) -> list[str]:
    """Short types of a JSON-LD or RDFa node (``@type``: one string or a list)."""
    raw = node.get(key)
    values = raw if isinstance(raw, list) else [raw]
    return [short_type(v) for v in values if isinstance(v, str) and v.strip()]


def same_as_urls(node: dict[str, Any]) -> list[str]:
    raw = node.get("sameAs")
    values = raw if isinstance(raw, list) else [raw]
    return [v.strip() for v in values if isinstance(v, str) and is_http_url(v)]


def rdfa_items(body: bytes, encoding: str, base_url: str, errors: list[str]) -> list[Any]:
    """RDFa via extruct; a second parse of the body, so only when asked for."""
    try:
        from extruct.rdfa import RDFaExtractor
        from extruct.utils import parse_xmldom_html

        document = parse_xmldom_html(body, encoding=encoding)
        return RDFaExtractor().extract_items(document, base_url=base_url)
    except Exception as exc:  # noqa: BLE001
        errors.append(f"rdfa: {type(exc).__name__}: {exc}"[:MAX_ERROR])
        return []


def extract_structured_data(
    root: HtmlElement, base_url: str, *, rdfa_body: bytes | None = None, encoding: str = "utf-8"
) -> StructuredFacts:
    """Types (distinct, in order: JSON-LD, microdata, RDFa), sameAs and review markup."""
    facts = StructuredFacts()
    sources = [
        ("@type", json_ld_blocks(root, facts.errors)),
        ("@type", [{"@type": microdata_types(root)}]),
    ]
    if rdfa_body is not None:
        sources.append(("@type", rdfa_items(rdfa_body, encoding, base_url, facts.errors)))
    types: dict[str, None] = {}
    same_as: dict[str, None] = {}
    for key, data in sources:
        for node in walk(data):
            this = node_types(node, key)
            types.update(dict.fromkeys(this))
            if SAME_AS_OWNERS.intersection(this):
                same_as.update(dict.fromkeys(same_as_urls(node)))
    same_as.update(dict.fromkeys(microdata_same_as(root, base_url, SAME_AS_OWNERS)))
    facts.types = list(types)
    facts.same_as = [url for url in same_as if is_http_url(url)]
    facts.review_markup = bool(REVIEW_TYPES & types.keys())
    return facts
