"""Share links: which platform an intent/sharer URL shares to.

A share link is a URL that opens a platform's "post this" dialog, with the page in its
parameters. Matching is on host and path (case-insensitive), never on the link text.
Profile pages on the same hosts (``facebook.com/myshop``) are not share links.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from unsilo.items import ShareLink
from unsilo.urls import registrable_domain, url_domain

# (registrable domain, path prefixes) → platform; paths compared lower-cased.
SHARE_PATHS: dict[str, tuple[str, tuple[str, ...]]] = {
    "facebook.com": ("facebook", ("/sharer", "/share.php", "/dialog/share", "/dialog/feed")),
    "twitter.com": ("x", ("/intent/tweet", "/intent/post", "/share")),
    "x.com": ("x", ("/intent/tweet", "/intent/post", "/share")),
    "linkedin.com": ("linkedin", ("/sharing/share-offsite", "/sharearticle", "/cws/share")),
    "reddit.com": ("reddit", ("/submit",)),
    "t.me": ("telegram", ("/share",)),
    "telegram.me": ("telegram", ("/share",)),
    "bsky.app": ("bluesky", ("/intent/compose",)),
    "tumblr.com": ("tumblr", ("/widgets/share", "/share")),
    "vk.com": ("vk", ("/share.php",)),
    "xing.com": ("xing", ("/spi/shares/new", "/social/share/spi")),
    "threads.net": ("threads", ("/intent/post",)),
    "threads.com": ("threads", ("/intent/post",)),
    "mastodonshare.com": ("mastodon", ("/",)),
    "kytta.dk": ("mastodon", ("/",)),  # toot.kytta.dk and s2f.kytta.dk share-to-fediverse
}
WHATSAPP_HOSTS = frozenset({"wa.me", "api.whatsapp.com", "web.whatsapp.com", "whatsapp.com"})
SHARE_KYTTA_HOSTS = frozenset({"toot.kytta.dk", "s2f.kytta.dk"})


# Every share URL above contains one of these; checking first skips parsing the rest.
_MAYBE_SHARE = re.compile(
    r"share|intent|dialog|submit|pin/create|whatsapp|wa\.me|mailto:|kytta", re.I
)


@lru_cache(maxsize=8192)
def classify_share(url: str) -> str | None:
    """The platform ``url`` shares to, or None.

    >>> classify_share("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fshop.dk")
    'facebook'
    >>> classify_share("https://www.facebook.com/myshop") is None
    True
    """
    if not _MAYBE_SHARE.search(url):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    query = parse_qs(parts.query)
    if scheme == "mailto":
        return "email" if {"body", "subject"} & {k.lower() for k in query} else None
    if scheme == "whatsapp":
        return "whatsapp" if parts.netloc.lower() == "send" else None
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    path = parts.path.lower() or "/"
    if host in WHATSAPP_HOSTS:
        return _whatsapp(host, path, query)
    if "mastodon" in host and path.rstrip("/") == "/share" and "text" in query:
        return "mastodon"
    domain = registrable_domain(host)
    if domain.startswith("pinterest."):
        return "pinterest" if path.startswith("/pin/create/") else None
    if domain == "kytta.dk" and host not in SHARE_KYTTA_HOSTS:
        return None
    platform, prefixes = SHARE_PATHS.get(domain, (None, ()))
    if platform and _path_matches(path, prefixes):
        return platform
    return None


def _path_matches(path: str, prefixes: tuple[str, ...]) -> bool:
    """Whole path segments only: ``/share`` matches ``/share`` and ``/share/url`` and
    ``/sharer.php`` matches ``/sharer`` + ``.php``, but ``/sharemaster`` (a handle) does not."""
    return any(p == "/" or path == p or path.startswith((p + "/", p + ".")) for p in prefixes)


def _whatsapp(host: str, path: str, query: dict[str, list[str]]) -> str | None:
    """A WhatsApp link shares when it carries text and no phone number; with a number it
    is a chat with the shop, not a share."""
    if "text" not in query or "phone" in query:
        return None
    if host == "wa.me":
        return "whatsapp" if path in ("", "/") else None
    return "whatsapp" if path.rstrip("/") == "/send" else None


def share_links(urls: list[str]) -> list[ShareLink]:
    """Distinct share links in document order (top and bottom buttons count once)."""
    found: dict[tuple[str, str], None] = {}
    for url in urls:
        platform = classify_share(url)
        if platform:
            found.setdefault((platform, url), None)
    return [ShareLink(platform=p, url=u, domain=url_domain(u)) for p, u in found]
