"""Which answers of a per-URL question are about the asked page.

Per-URL searches over-match (Algolia's prefix search) or under-match (Lemmy's and
Constellation's exact strings), so sources ask a few spellings of a page and keep only hits
whose ``url_key`` equals the page's modulo the scheme and a leading ``www.``.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from unsilo.urls import http_url_key


def loose_key(url_or_key: str | None) -> str | None:
    """``https://www.shop.example/a/`` → ``shop.example/a``: the key without scheme or ``www.``.

    >>> loose_key("http://www.shop.example/a/?utm_source=x")
    'shop.example/a'
    """
    key = http_url_key(url_or_key) if url_or_key else None
    if key is None:
        return None
    rest = key.split("://", 1)[1]
    return rest.removeprefix("www.")


def same_page(url: str | None, target: str) -> bool:
    """Whether ``url`` is the page whose ``url_key`` is ``target`` (scheme and www. aside)."""
    found = loose_key(url)
    return found is not None and found == loose_key(target)


def www_toggled(url: str) -> str:
    """``url`` with a leading ``www.`` added to or taken from its host.

    >>> www_toggled("https://shop.example/a")
    'https://www.shop.example/a'
    """
    parts = urlsplit(url)
    host = parts.netloc
    other = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
    return urlunsplit(parts._replace(netloc=other))
