"""Whether a source's answer is about the page that was asked, not a neighbour of it.

Per-URL sources answer for the URL they understood: Pinterest and Facebook echo it, and
may have normalised it. A hit counts for a page only when both name the same page modulo
the scheme and a leading ``www.``: ``unsilo.urls.url_key`` already folds case, default
ports, a trailing slash and tracking parameters, so what is left is the two spellings a
share of the same page commonly differs in.
"""

from __future__ import annotations

from unsilo.urls import http_url_key


def page_identity(url: str | None) -> str | None:
    """``url``'s key without scheme and leading ``www.``; ``None`` for a non-http(s) URL.

    >>> page_identity("http://www.Shop.example/a/?utm_source=x")
    'shop.example/a'
    """
    key = http_url_key(url)
    if key is None:
        return None
    rest = key.split("://", 1)[1]
    return rest[4:] if rest.startswith("www.") else rest


def same_page(url: str | None, page_key: str) -> bool:
    """True when ``url`` names the page whose key is ``page_key`` (a check's target).

    >>> same_page("http://www.shop.example/a", "https://shop.example/a")
    True
    >>> same_page("https://shop.example/a-set", "https://shop.example/a")
    False
    """
    mine = page_identity(url)
    return mine is not None and mine == page_identity(page_key)
