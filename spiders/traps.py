"""Spider-trap defence: notice URL families that grow without new content, stop following them.

A trap is a family of URLs that never ends and says nothing new: an event calendar whose
"next month" link always leads to another month, a session id (``?sid=…``) on every link
that makes each page a new URL. A real shop's big families (products, pagination, facets)
bring new content with each URL, so the rule is about content, not size:

* a URL with a query belongs to one family per parameter name (``sid``, ``sort``); one
  without belongs to its path pattern, each segment holding a digit written ``*``
  (``/calendar/2031/04`` → ``/calendar/*/*``);
* each fetched page has a content fingerprint (``content_fingerprint``: its title and the
  paths of its internal links, digits and query strings left out, so a month page or a
  session-id twin looks like its siblings while a product or a listing page does not);
* a family is a trap once ``repeats`` of its fetched pages brought a fingerprint the family
  had seen already. Then a query parameter is dropped from every later link (the page behind
  it is still reached, once) and a path pattern is no longer followed.

The guard is pure bookkeeping (no requests): the spider asks ``admit`` before it follows a
link and tells ``observe`` what each page looked like.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from unsilo.items import CrawlTrapItem
from unsilo.urls import url_key

TRAP_REPEATS = 50  # UNSILO_TRAP_REPEATS: pages without new content that make a family a trap
_DIGITS = re.compile(r"\d+")
_FINGERPRINTS_KEPT = 10_000  # per family: enough to tell, bounded memory


def path_pattern(path: str) -> str:
    """``/calendar/2031/04`` → ``/calendar/*/*``: segments holding a digit become ``*``.

    >>> path_pattern("/product/a-12")
    '/product/*'
    """
    return "/".join("*" if any(c.isdigit() for c in seg) else seg for seg in path.split("/"))


def content_fingerprint(title: str | None, link_urls: Iterable[str]) -> str:
    """What a page says, coarsely: title and internal link paths without digits or queries.

    Two pages differing only in a session id, or two calendar months, get the same
    fingerprint; two products or two listing pages (other products linked) do not.
    """
    paths = sorted({_path_shape(u) for u in link_urls})
    text = _DIGITS.sub("", title or "") + "\n" + "\n".join(paths)
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=8).hexdigest()


@lru_cache(maxsize=16_384)
def _path_shape(url: str) -> str:
    """A link's path without digits, remembered: a shop's navigation links repeat on every
    page, and splitting every link of every page again was most of a fingerprint's cost."""
    return _DIGITS.sub("", urlsplit(url).path)


@dataclass
class _Family:
    urls: int = 0
    repeats: int = 0
    seen: set[str] = field(default_factory=set)


class TrapGuard:
    """Which URL families are traps; ``admit`` a link, ``observe`` a fetched page."""

    def __init__(self, repeats: int = TRAP_REPEATS) -> None:
        self.repeats = repeats  # 0 switches the guard off
        self.families: dict[tuple[str, str], _Family] = {}
        self.trapped_params: set[str] = set()
        self.trapped_paths: set[str] = set()
        self.skipped = 0  # links not followed because of a trap

    @staticmethod
    def families_of(url: str) -> list[tuple[str, str]]:
        parts = urlsplit(url)
        if parts.query:
            names = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
            return [("query", name) for name in sorted(names)]
        return [("path", path_pattern(parts.path))]

    def admit(self, url: str) -> str | None:
        """``url`` as it should be followed (trap parameters dropped), or None: don't."""
        if not (self.trapped_params or self.trapped_paths):
            return url
        parts = urlsplit(url)
        if parts.query and self.trapped_params:
            pairs = parse_qsl(parts.query, keep_blank_values=True)
            kept = [(k, v) for k, v in pairs if k not in self.trapped_params]
            if len(kept) != len(pairs):
                parts = parts._replace(query=urlencode(kept))
                url = urlunsplit(parts)
        if not parts.query and path_pattern(parts.path) in self.trapped_paths:
            self.skipped += 1
            return None
        return url

    def observe(self, url: str, fingerprint: str) -> list[CrawlTrapItem]:
        """Count a fetched page in its families; the families it turned into traps."""
        if not self.repeats:
            return []
        found = []
        for kind, name in self.families_of(url):
            family = self.families.setdefault((kind, name), _Family())
            family.urls += 1
            if fingerprint in family.seen:
                family.repeats += 1
            elif len(family.seen) < _FINGERPRINTS_KEPT:
                family.seen.add(fingerprint)
            if family.repeats >= self.repeats and not self._is_trapped(kind, name):
                (self.trapped_params if kind == "query" else self.trapped_paths).add(name)
                found.append(
                    CrawlTrapItem(kind, name, family.urls, family.repeats, url, url_key(url))
                )
        return found

    def _is_trapped(self, kind: str, name: str) -> bool:
        return name in (self.trapped_params if kind == "query" else self.trapped_paths)
