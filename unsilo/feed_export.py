"""The ``-o FILE`` feed a user asks for: one record per page, in every format Scrapy offers.

The shop spider yields one ``PageRecord`` per page (its links, social facts, profile links
and products nested) plus site-wide facts: one item per sitemap URL, robots.txt, crawl
traps, og:image probes. Storage needs them all, and gets them all (the database or the feed
job folder, ``unsilo.pipeline.storage_pipeline``), but a user's ``-o items.jsonl`` is
documented as "one line per page", so ``PageFeedExporter`` gives every feed of the shop
spider that names no ``item_filter``/``item_classes`` of its own the ``PageRecords`` filter
(Scrapy's ``ItemFilter`` in a feed's options brings every item back).

Scrapy's CSV and XML exporters write a nested dataclass as its Python ``repr`` and marshal
cannot hold one at all, so those formats get exporters here: CSV and XML get one flat row
per page (the page's fields as columns; lists and the nested parts as JSON text), marshal
and pickle plain dicts and lists (loadable without unsilo installed). JSON and JSON lines
keep Scrapy's own exporters, which already nest dataclasses as JSON objects.

``-o`` appends; a second JSON array, XML document or CSV header appended to a file makes it
unreadable, so appending such a format to a non-empty file is refused in one line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from scrapy.exceptions import NotConfigured, UsageError
from scrapy.exporters import (
    CsvItemExporter,
    MarshalItemExporter,
    PickleItemExporter,
    XmlItemExporter,
)
from scrapy.extensions.feedexport import FeedExporter, ItemFilter

from unsilo.items import PageRecord
from unsilo.pipeline.feeds import serialize_stdlib

NOT_APPENDABLE = ("json", "xml", "csv")
"""Formats whose file is one document: appended to, it no longer loads."""

SCALARS = (str, int, float, bool, type(None))
PAGES_SPIDER = "shop"  # the spider whose items a page feed holds


class PageRecords(ItemFilter):
    """Only the page records: one per page, as ``-o`` is documented to give."""

    def accepts(self, item: Any) -> bool:
        return isinstance(item, PageRecord)


PAGE_RECORDS = f"{__name__}.PageRecords"


class PageFeedExporter(FeedExporter):
    """Scrapy's feed exporter, with page records as the shop spider's default item filter
    and appends that would break a file refused before the crawl starts. Other spiders
    (``scrapy crawl social -o posts.jsonl``) keep Scrapy's default: every item."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        shop = getattr(crawler.spidercls, "name", None) == PAGES_SPIDER
        for uri, options in list(self.feeds.items()):
            defaults = "item_filter" not in options and not options.get("item_classes")
            if shop and defaults:
                self.filters[uri] = PageRecords(options)
            elif not shop and options.get("item_filter") == PAGE_RECORDS:
                # `unsilo audit -o`: the social spider after the shop, in the same process,
                # must not reopen (and empty) the page feed it has nothing for
                del self.feeds[uri]
                continue
            _refuse_broken_append(uri, options)
        if not self.feeds:
            raise NotConfigured


def feeds_setting(output: tuple[str, ...], overwrite: tuple[str, ...]) -> dict[str, Any]:
    """Scrapy's ``FEEDS`` for ``unsilo crawl/audit -o/-O FILE``, as ``scrapy crawl`` makes it
    (format from the extension or ``FILE:format``); a format Scrapy lacks, ``-o`` and ``-O``
    together, or an append that would break a file is a ``ValueError``."""
    from scrapy.utils.conf import feed_process_params_from_cli

    from unsilo.crawl import project_settings

    try:
        feeds = feed_process_params_from_cli(
            project_settings(), list(output), overwrite_output=list(overwrite)
        )
    except UsageError as exc:
        raise ValueError(str(exc)) from None
    for uri, options in feeds.items():
        options["item_filter"] = PAGE_RECORDS
        try:
            _refuse_broken_append(uri, options)
        except UsageError as exc:
            raise ValueError(str(exc)) from None
    return feeds


def _refuse_broken_append(uri: str, options: dict[str, Any]) -> None:
    """A one-document format appended to a file that already holds one: refused."""
    if options.get("overwrite") or options.get("format") not in NOT_APPENDABLE:
        return
    parsed = urlparse(uri)
    if parsed.scheme not in ("", "file"):
        return
    path = Path(unquote(parsed.path) if parsed.scheme == "file" else uri)
    if path.is_file() and path.stat().st_size > 0:
        raise UsageError(
            f"{path} exists and -o appends: a second {options['format']} document would make "
            "it unreadable; use -O to overwrite it, another file name, or .jsonl to append"
        )


def plain(item: Any) -> dict[str, Any]:
    """An item as JSON-compatible dicts, lists and scalars (prices as exact text)."""
    return json.loads(serialize_stdlib([item]))


def flat_row(item: Any) -> dict[str, Any]:
    """One spreadsheet row: scalars as they are, anything nested as JSON text.

    A page record's row is its page's columns followed by its nested parts
    (``links``, ``social``, ``profile_links``, ``products``), each one JSON cell.
    """
    data = plain(item)
    if isinstance(item, PageRecord):
        data = {**data.pop("page"), **data}
    return {
        name: value if isinstance(value, SCALARS) else json.dumps(value, ensure_ascii=False)
        for name, value in data.items()
    }


class FlatCsvItemExporter(CsvItemExporter):
    """CSV with one row per item; nested values as JSON text, not Python ``repr``.

    UTF-8 gets a byte order mark, as the exports do: without it Excel guesses a legacy
    code page and mangles ``æøå``. Another encoding named in the feed's options is kept.
    """

    def __init__(self, file: Any, **kwargs: Any) -> None:
        if kwargs.get("encoding") in (None, "utf-8", "utf8"):
            kwargs["encoding"] = "utf-8-sig"
        super().__init__(file, **kwargs)

    def export_item(self, item: Any) -> None:
        super().export_item(flat_row(item))


class FlatXmlItemExporter(XmlItemExporter):
    """XML with one ``<item>`` per item; nested values as JSON text, ``None`` as empty."""

    def export_item(self, item: Any) -> None:
        row = {k: "" if v is None else v for k, v in flat_row(item).items()}
        super().export_item(row)


class PlainMarshalItemExporter(MarshalItemExporter):
    """marshal holds only built-in types: the item as plain dicts and lists."""

    def export_item(self, item: Any) -> None:
        super().export_item(plain(item))


class PlainPickleItemExporter(PickleItemExporter):
    """Plain dicts and lists, so the file unpickles without unsilo installed."""

    def export_item(self, item: Any) -> None:
        super().export_item(plain(item))
