"""Share links: which platform an intent/sharer URL shares to.

A share link is a URL that opens a platform's "post this" dialog, with the page in its
parameters. Matching is on host and path (case-insensitive), never on the link text.
Profile pages on the same hosts (``facebook.com/myshop``) are not share links. The hosts
and paths are data (``SHARE_PATHS``): adding a platform is one line.

An e-mail link shares only when its subject or body carries the page's own URL (its URL,
canonical or ``og:url``, compared as join keys): ``mailto:info@shop.example?subject=Order``
is a way to write to the shop, not a share of the page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from unsilo.items import ShareLink
from unsilo.urls import http_url_key, registrable_domain, url_domain

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
    "xing.com": ("xing", ("/spi/shares/new", "/social/share/spi", "/social_plugins/share")),
    "flipboard.com": ("flipboard", ("/bookmarklet/popout",)),
    "threads.net": ("threads", ("/intent/post",)),
    "threads.com": ("threads", ("/intent/post",)),
    "mastodonshare.com": ("mastodon", ("/",)),
    "kytta.dk": ("mastodon", ("/",)),  # toot.kytta.dk and s2f.kytta.dk share-to-fediverse
}
WHATSAPP_HOSTS = frozenset({"wa.me", "api.whatsapp.com", "web.whatsapp.com", "whatsapp.com"})
SHARE_KYTTA_HOSTS = frozenset({"toot.kytta.dk", "s2f.kytta.dk"})
MAIL_SHARE_FIELDS = frozenset({"subject", "body"})
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.I)


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
        return "email" if mailed_url_keys(url) else None
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


@lru_cache(maxsize=1024)
def mailed_url_keys(url: str) -> frozenset[str]:
    """Join keys of the http(s) URLs a ``mailto:`` link puts in its subject or body.

    >>> sorted(mailed_url_keys("mailto:?subject=Look&body=https%3A%2F%2Fshop.dk%2Fa%3Fx%3D1"))
    ['https://shop.dk/a?x=1']
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return frozenset()
    if parts.scheme.lower() != "mailto":
        return frozenset()
    texts = [
        value
        for name, values in parse_qs(parts.query).items()
        if name.lower() in MAIL_SHARE_FIELDS
        for value in values
    ]
    urls = [m.group().rstrip(".,;:!?)") for text in texts for m in _URL_IN_TEXT.finditer(text)]
    return frozenset(key for key in map(http_url_key, urls) if key)


def share_links(urls: list[str], page_keys: frozenset[str] = frozenset()) -> list[ShareLink]:
    """Distinct share links in document order (top and bottom buttons count once).

    ``page_keys`` are the join keys of the page itself (URL, canonical, og:url): an e-mail
    link counts only when it mails one of them.
    """
    found: dict[tuple[str, str], None] = {}
    for url in urls:
        platform = classify_share(url)
        if platform == "email" and not mailed_url_keys(url) & page_keys:
            continue
        if platform:
            found.setdefault((platform, url), None)
    return [ShareLink(platform=p, url=u, domain=url_domain(u)) for p, u in found]
