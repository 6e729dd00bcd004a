"""Read one sitemap file as a stream of entries, within the sitemap protocol's limits.

A sitemap is as hostile as any page: a small ``.xml.gz`` can inflate to gigabytes, a file
can list a million URLs, a ``<urlset>`` can hide ``<sitemap>`` entries. So the body is
inflated and parsed as a stream (``lxml.etree.iterparse`` over a size-capped reader, each
entry cleared once read): memory stays flat however large the file. What was wrong is kept
as typed problem codes plus one sentence for people, never raised:

* ``too_many_urls`` — more than 50,000 entries (the protocol's limit); the rest are not read;
* ``too_large`` — more than 50 MB uncompressed (the protocol's limit); the rest is not read;
* ``over_download_limit`` — more than unsilo's own limit (``DOWNLOAD_MAXSIZE``, 20 MB by
  default, applied after decompression), when that is below the protocol's;
* ``mixed_entries`` — ``<sitemap>`` entries in a ``<urlset>`` (or ``<url>`` entries in a
  ``<sitemapindex>``): ignored, since only an index lists sitemaps;
* ``bad_gzip``, ``not_a_sitemap`` — the file cannot be read as a sitemap at all.

>>> reader = SitemapReader(b'<urlset><url><loc>https://a.example/</loc></url></urlset>')
>>> [e.loc for e in reader], reader.kind, reader.problems
(['https://a.example/'], 'urlset', [])
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from gzip import BadGzipFile, GzipFile
from io import BytesIO, RawIOBase
from typing import BinaryIO

from lxml import etree

PROTOCOL_MAX_URLS = 50_000
PROTOCOL_MAX_BYTES = 50 * 1024 * 1024
ENTRY = {"urlset": "url", "sitemapindex": "sitemap"}
"""The entry element each kind of sitemap file lists."""


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One ``<url>`` or ``<sitemap>`` entry: its ``<loc>`` and ``<lastmod>``."""

    loc: str
    lastmod: str | None = None


class _CappedReader(RawIOBase):
    """A read-only stream that ends after ``limit`` bytes and remembers that it did."""

    def __init__(self, source: BinaryIO, limit: int) -> None:
        self.source, self.limit, self.count, self.truncated = source, limit, 0, False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        room = self.limit - self.count
        if room <= 0:
            self.truncated = self.truncated or bool(self.source.read(1))
            return b""
        data = self.source.read(room if size < 0 else min(size, room))
        self.count += len(data)
        return data


class SitemapReader:
    """Iterate ``body``'s entries; ``kind``, ``urls``, ``problems`` and ``reasons`` are
    complete once the iteration ends.

    ``max_bytes`` caps the uncompressed size read (at most the protocol's 50 MB), and
    ``max_urls`` the entries (the protocol's 50,000).
    """

    def __init__(
        self,
        body: bytes,
        *,
        max_bytes: int = PROTOCOL_MAX_BYTES,
        max_urls: int = PROTOCOL_MAX_URLS,
    ) -> None:
        self.compressed = body[:2] == b"\x1f\x8b"
        self.max_bytes = min(max_bytes or PROTOCOL_MAX_BYTES, PROTOCOL_MAX_BYTES)
        self.max_urls = max_urls
        self.kind: str | None = None  # "urlset" or "sitemapindex" once the root is read
        self.urls = 0  # entries of the file's own kind read
        self.problems: list[str] = []
        self.reasons: list[str] = []
        stream = GzipFile(fileobj=BytesIO(body)) if self.compressed else BytesIO(body)
        self._stream = _CappedReader(stream, self.max_bytes)

    @property
    def bytes_read(self) -> int:
        """Uncompressed bytes read so far."""
        return self._stream.count

    def __iter__(self) -> Iterator[SitemapEntry]:
        try:
            yield from self._entries()
        except (BadGzipFile, EOFError, zlib.error, OSError) as exc:
            if self.compressed:
                self._problem("bad_gzip", f"the gzip data is broken ({exc})")
            else:
                self._problem("not_a_sitemap", f"the file cannot be read ({exc})")
        except etree.XMLSyntaxError as exc:
            if not self._stream.truncated:
                why = f"the file is not XML ({exc})" if self.bytes_read else "the file is empty"
                self._problem("not_a_sitemap", why)
        self._note_truncation()
        if self.kind is None and not self.problems:
            empty = "the file is empty" if not self.bytes_read else "the file holds no XML"
            self._problem("not_a_sitemap", empty)

    def _entries(self) -> Iterator[SitemapEntry]:
        events = etree.iterparse(
            self._stream,
            events=("start", "end"),
            recover=True,
            resolve_entities=False,
            no_network=True,
            remove_comments=True,
            remove_pis=True,
        )
        mixed = 0
        for event, elem in events:
            tag = _local_name(elem.tag)
            if self.kind is None:  # the root element's start
                if tag not in ENTRY:
                    self._problem("not_a_sitemap", f"the root element is <{tag}>, not a sitemap")
                    return
                self.kind = tag
                continue
            if event != "end" or tag not in ("url", "sitemap"):
                continue
            entry = _entry(elem)
            _forget(elem)
            if tag != ENTRY[self.kind]:
                mixed += 1
                continue
            if entry is None:
                continue
            if self.urls >= self.max_urls:
                self._problem(
                    "too_many_urls",
                    f"it lists more than {self.max_urls:,} entries (the protocol's limit): "
                    "the rest were not read",
                )
                break
            self.urls += 1
            yield entry
        if mixed:
            other = "<sitemap>" if self.kind == "urlset" else "<url>"
            self._problem(
                "mixed_entries",
                f"{mixed} {other} entries inside its <{self.kind}> were ignored "
                "(only a sitemap index lists sitemaps; only a urlset lists pages)",
            )

    def _note_truncation(self) -> None:
        if not self._stream.truncated:
            return
        megabytes = f"{self.max_bytes / 1024 / 1024:g} MB"
        if self.max_bytes >= PROTOCOL_MAX_BYTES:
            self._problem(
                "too_large",
                f"it is larger than {megabytes} uncompressed (the protocol's limit): "
                f"only the first {megabytes} were read",
            )
        else:
            self._problem(
                "over_download_limit",
                f"it is larger than {megabytes} uncompressed, unsilo's download limit "
                f"(DOWNLOAD_MAXSIZE): only the first {megabytes} were read",
            )

    def _problem(self, code: str, reason: str) -> None:
        if code not in self.problems:
            self.problems.append(code)
            self.reasons.append(reason)


def _local_name(tag: object) -> str:
    """``{http://www.sitemaps.org/schemas/sitemap/0.9}url`` → ``url``."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _entry(elem: etree._Element) -> SitemapEntry | None:
    """The entry's own ``<loc>`` (not an ``<image:loc>`` deeper down) and ``<lastmod>``."""
    fields: dict[str, str] = {}
    for child in elem:
        name = _local_name(child.tag)
        if name in ("loc", "lastmod") and name not in fields:
            fields[name] = (child.text or "").strip()
    loc = fields.get("loc")
    return SitemapEntry(loc, fields.get("lastmod") or None) if loc else None


def _forget(elem: etree._Element) -> None:
    """Free an entry once read, and the siblings before it: memory stays flat."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]
