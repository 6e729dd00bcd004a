"""Shared clean-up rules for hostile post text: finding URLs, building link rows, ints.

Declared once so every adapter treats a bare ``shop.example/p`` or a ``"12"`` count alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from unsilo.social.items import PostLinkItem, ProfileItem
from unsilo.urls import is_http_url, url_domain, url_key

# http(s) URLs, or bare host/path the way Bluesky and Mastodon clients linkify them.
# A host right after "@" is an e-mail address or a mention, never a link.
_URL = re.compile(
    r"(?<![@\w.])(?:https?://[^\s<>\"'“”‘’]+|(?:[a-z0-9-]+\.)+[a-z]{2,24}(?:/[^\s<>\"'“”‘’]*)?)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}…'\""
_MAX_TEXT_LINKS = 50  # hostile text can hold thousands; a post never links that much


def urls_in_text(text: str | None) -> list[str]:
    """Absolute http(s) URLs written in plain text, in order, without duplicates.

    Bare hosts get ``https://`` (what the apps link to) when they end in a known public
    suffix, so ``Leipzig.Handgedreht`` stays prose. A trailing ``…`` means the app
    truncated the text, so such a URL is incomplete and skipped.

    >>> urls_in_text("Shop: examplegoods.com, mail hallo@examplegoods.com")
    ['https://examplegoods.com']
    """
    found: list[str] = []
    for match in _URL.finditer(text or ""):
        raw = match.group(0)
        if raw.endswith("…"):
            continue
        raw = raw.rstrip(_TRAILING)
        bare = "://" not in raw
        url = "https://" + raw if bare else raw
        if bare and not _known_suffix(urlsplit(url).hostname or ""):
            continue
        if is_http_url(url) and url not in found:
            found.append(url)
        if len(found) >= _MAX_TEXT_LINKS:
            break
    return found


@lru_cache(maxsize=1)
def _strict_psl() -> PublicSuffixList:
    return PublicSuffixList(accept_unknown=False)


def _known_suffix(host: str) -> bool:
    return _strict_psl().privatesuffix(host.lower()) is not None


def link_rows(platform: str, post_id: str, pairs: Iterable[tuple[str, str]]) -> list[PostLinkItem]:
    """``PostLinkItem``s for ``(url, source)`` pairs: http(s) only, each pair once."""
    rows: list[PostLinkItem] = []
    seen: set[tuple[str, str]] = set()
    for url, source in pairs:
        url = (url or "").strip()
        if not is_http_url(url) or (url, source) in seen:
            continue
        seen.add((url, source))
        rows.append(
            PostLinkItem(platform, post_id, url, url_key(url), source, domain=url_domain(url))
        )
    return rows


def with_link_domains(profile: ProfileItem) -> ProfileItem:
    """``profile`` with the registrable domains of its website, bio and verified links set.

    Every adapter that reads links into a profile ends with this, so the domains always
    agree with the links they come from.
    """
    bio = [profile.website, *profile.links_in_bio] if profile.website else profile.links_in_bio
    profile.link_domains = _domains(bio)
    profile.verified_domains = _domains(profile.verified_links)
    return profile


def _domains(urls: Iterable[str]) -> list[str]:
    """Distinct registrable domains of the http(s) URLs among ``urls``, in order."""
    return list(dict.fromkeys(d for d in map(url_domain, urls) if d))


def distinct_urls(rows: Iterable[PostLinkItem]) -> list[str]:
    """The URLs of ``rows`` in order, each once (a post's ``links`` list)."""
    return list(dict.fromkeys(row.url for row in rows))


def as_int(value: Any) -> int | None:
    """A non-negative count, or ``None`` when the source sent something else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def as_str(value: Any) -> str | None:
    """``value`` when it is a non-empty string; hostile JSON may put anything anywhere."""
    return value if isinstance(value, str) and value else None
