"""Social profiles: which platform and handle a URL points at, if it is a profile at all.

Share/intent URLs, posts and a platform's own pages (``facebook.com/help``,
``twitter.com/home``, ``instagram.com/p/<post>``) are not profiles. Handles are
lower-cased where the platform treats them case-insensitively (all but YouTube channel
ids). Reddit keeps its own ``u/`` and ``r/`` prefixes, since users and subreddits share
names; Mastodon handles are ``user@instance``.

Mastodon runs on any host, so ``https://<host>/@user`` counts as Mastodon when the host
is a known instance or its name says so (``mastodon``, ``mstdn``, ``toot``, a ``social.``
subdomain); other ``/@user`` sites such as medium.com are left alone.

A follow intent (``twitter.com/intent/follow?screen_name=shop``) names a profile too.
Platforms whose profiles follow one plain pattern (XING, Vimeo, SoundCloud, Flickr) are
rules in ``profile_rules.PATH_RULES``; the functions here are for the irregular ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from unsilo.extract.profile_rules import (
    FEDIVERSE_HINTS,
    FOLLOW_INTENTS,
    MASTODON_INSTANCES,
    NOT_MASTODON,
    PATH_RULES,
    RESERVED,
    PathRule,
)
from unsilo.urls import registrable_domain

Profile = tuple[str, str | None]

_HANDLE = re.compile(r"^[\w.\-]{1,100}$")
_X_HANDLE = re.compile(r"^\w{1,15}$")
_HANDLE_PATTERNS = {"x": _X_HANDLE}


# Every profile URL contains a platform name or ``/@``; checking first skips parsing.
_MAYBE_PROFILE = re.compile(
    r"facebook|fb\.com|instagram|twitter|x\.com|linkedin|youtube|tiktok|pinterest|tumblr|bsky"
    r"|threads|reddit|github|xing|vimeo|soundcloud|flickr|/@",
    re.I,
)


@lru_cache(maxsize=8192)
def classify_profile(url: str) -> Profile | None:
    """``(platform, handle)`` of a social profile URL, or None.

    >>> classify_profile("https://www.instagram.com/MyShop/")
    ('instagram', 'myshop')
    >>> classify_profile("https://twitter.com/intent/tweet?text=hi") is None
    True
    """
    if not _MAYBE_PROFILE.search(url):
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    segments = [s for s in parts.path.split("/") if s]
    domain = registrable_domain(host)
    if domain.startswith("pinterest."):
        domain = "pinterest.com"
    if domain in FOLLOW_INTENTS:
        followed = _follow_intent(domain, parts.path, parts.query)
        if followed is not None:
            return followed
    reader = READERS.get(domain)
    if reader is not None:
        return reader(host, segments, parts.query)
    rule = PATH_RULES.get(domain)
    if rule is not None:
        return _by_rule(rule, host, segments)
    return _mastodon(host, domain, segments)


def _follow_intent(domain: str, path: str, query: str) -> Profile | None:
    """``/intent/follow?screen_name=shop`` → the account it asks people to follow."""
    intent = FOLLOW_INTENTS[domain]
    if path.rstrip("/").lower() not in intent.paths:
        return None
    names = parse_qs(query).get(intent.parameter, [])
    return _first(intent.platform, names[:1], _HANDLE_PATTERNS.get(intent.platform, _HANDLE))


def _by_rule(rule: PathRule, host: str, segments: list[str]) -> Profile | None:
    """A profile of a platform in ``PATH_RULES``: ``/<handle>`` or ``/<prefix>/<handle>``."""
    if rule.hosts is not None and host not in rule.hosts:
        return None
    if rule.prefixes:
        if len(segments) != 2 or segments[0].lower() not in rule.prefixes:
            return None
        segments = segments[1:]
    if len(segments) != 1:
        return None
    return _first(rule.platform, segments, _rule_pattern(rule.handle))


@lru_cache(maxsize=32)
def _rule_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{pattern})$")


def _first(
    platform: str, segments: list[str], pattern: re.Pattern[str] = _HANDLE
) -> Profile | None:
    if not segments:
        return None
    handle = segments[0].lstrip("@").lower()
    if handle in RESERVED.get(platform, ()) or not pattern.match(handle):
        return None
    return platform, handle


def _facebook(host: str, segments: list[str], query: str) -> Profile | None:
    if segments[:1] == ["profile.php"]:
        ids = parse_qs(query).get("id", [])
        return ("facebook", ids[0]) if ids and ids[0].isdigit() else None
    if segments[:1] == ["pages"] and len(segments) >= 2:
        return "facebook", segments[1].lower()
    if len(segments) > 1 and segments[1] in ("posts", "photos", "videos"):
        return None
    return _first("facebook", segments)


def _instagram(host: str, segments: list[str], query: str) -> Profile | None:
    return _first("instagram", segments) if len(segments) == 1 else None


def _x(host: str, segments: list[str], query: str) -> Profile | None:
    return _first("x", segments, _X_HANDLE) if len(segments) == 1 else None


def _linkedin(host: str, segments: list[str], query: str) -> Profile | None:
    if len(segments) >= 2 and segments[0].lower() in ("company", "in", "school", "showcase"):
        return "linkedin", segments[1].lower()
    return None


def _youtube(host: str, segments: list[str], query: str) -> Profile | None:
    if not segments:
        return None
    if segments[0].startswith("@"):
        return _first("youtube", segments)
    if len(segments) >= 2 and segments[0] == "channel":
        return "youtube", segments[1]  # channel ids are case-sensitive
    if len(segments) >= 2 and segments[0] in ("c", "user"):
        return "youtube", segments[1].lower()
    return None


def _tiktok(host: str, segments: list[str], query: str) -> Profile | None:
    if len(segments) == 1 and segments[0].startswith("@"):
        return _first("tiktok", segments)
    return None


def _pinterest(host: str, segments: list[str], query: str) -> Profile | None:
    return _first("pinterest", segments) if 1 <= len(segments) <= 2 else None


def _tumblr(host: str, segments: list[str], query: str) -> Profile | None:
    name = host.removesuffix(".tumblr.com")
    if name != host and name not in ("www", "api", "assets", "static", "media"):
        return ("tumblr", name) if "." not in name else None
    return _first("tumblr", segments) if len(segments) == 1 else None


def _bluesky(host: str, segments: list[str], query: str) -> Profile | None:
    if len(segments) == 2 and segments[0] == "profile":
        return "bluesky", segments[1].lower()
    return None


def _threads(host: str, segments: list[str], query: str) -> Profile | None:
    if len(segments) == 1 and segments[0].startswith("@"):
        return _first("threads", segments)
    return None


def _reddit(host: str, segments: list[str], query: str) -> Profile | None:
    if len(segments) >= 2 and segments[0] in ("user", "u") and _HANDLE.match(segments[1]):
        return "reddit", f"u/{segments[1].lower()}"
    if len(segments) >= 2 and segments[0] == "r" and _HANDLE.match(segments[1]):
        return "reddit", f"r/{segments[1].lower()}"
    return None


def _github(host: str, segments: list[str], query: str) -> Profile | None:
    if host not in ("github.com", "www.github.com"):
        return None
    return _first("github", segments) if len(segments) == 1 else None


def _mastodon(host: str, domain: str, segments: list[str]) -> Profile | None:
    if domain in NOT_MASTODON or len(segments) != 1 or not segments[0].startswith("@"):
        return None
    known = host in MASTODON_INSTANCES or any(hint in host for hint in FEDIVERSE_HINTS)
    if not (known or host.startswith("social.")):
        return None
    user = segments[0][1:].lower()
    if "@" in user:  # /@user@other.instance: a remote account seen from this instance
        return ("mastodon", user) if _HANDLE.match(user.replace("@", "")) else None
    return ("mastodon", f"{user}@{host}") if _HANDLE.match(user) else None


READERS: dict[str, Callable[[str, list[str], str], Profile | None]] = {
    "facebook.com": _facebook,
    "fb.com": _facebook,
    "instagram.com": _instagram,
    "twitter.com": _x,
    "x.com": _x,
    "linkedin.com": _linkedin,
    "youtube.com": _youtube,
    "tiktok.com": _tiktok,
    "pinterest.com": _pinterest,
    "tumblr.com": _tumblr,
    "bsky.app": _bluesky,
    "threads.net": _threads,
    "threads.com": _threads,
    "reddit.com": _reddit,
    "github.com": _github,
}
