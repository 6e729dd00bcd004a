"""Hostile XML, parsed safely, and RSS 2.0 items: the shared ground of the feed adapters.

Feeds come from servers we do not control: entities are never resolved, nothing is
fetched over the network, and huge trees are refused (billion laughs, XXE).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from lxml import etree

from unsilo.social.errors import MalformedResponse


@dataclass(slots=True)
class RssEntry:
    """One ``<item>`` of an RSS 2.0 channel; ``description`` is still (escaped) HTML."""

    title: str
    link: str | None
    description: str
    published: str | None  # ISO 8601, UTC
    guid: str | None


def parse_xml(body: bytes | str) -> etree._Element:
    """The root element of ``body``; raises ``MalformedResponse`` on anything unreadable."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    if isinstance(body, str):
        body = body.encode("utf-8")  # lxml refuses str with an encoding declaration
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedResponse(f"not XML: {exc}") from exc
    if root is None:
        raise MalformedResponse("empty XML document")
    return root


def rss_entries(body: bytes | str) -> list[RssEntry]:
    """The items of an RSS 2.0 feed, in feed order."""
    root = parse_xml(body)
    if root.tag != "rss" or root.find("channel") is None:
        raise MalformedResponse(f"not an RSS 2.0 feed (root <{root.tag}>)")
    return [
        RssEntry(
            title=_text(item, "title") or "",
            link=_text(item, "link"),
            description=_text(item, "description") or "",
            published=rfc822_to_iso(_text(item, "pubDate")),
            guid=_text(item, "guid"),
        )
        for item in root.iter("item")
    ]


def rfc822_to_iso(value: str | None) -> str | None:
    """``Tue, 18 Aug 2026 09:12:44 GMT`` → ``2026-08-18T09:12:44+00:00``; junk → None."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat()


def cadence_days(timestamps: Iterable[str | None]) -> float | None:
    """Median days between consecutive posts; ``None`` with fewer than two dated posts.

    The median, not the mean, so one long holiday does not hide a steady rhythm.
    """
    times = sorted(t for t in (_parse_iso(s) for s in timestamps) if t is not None)
    if len(times) < 2:
        return None
    gaps = [(b - a).total_seconds() / 86400 for a, b in zip(times, times[1:], strict=False)]
    return round(statistics.median(gaps), 2)


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _text(parent: etree._Element, tag: str) -> str | None:
    node = parent.find(tag)
    return node.text.strip() if node is not None and node.text else None
