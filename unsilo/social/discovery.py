"""Which profiles the social spider audits: the ones the shop claims, merged with configuration.

The shop crawl's analysis names the profiles the shop claims (``unsilo.pipeline.profiles``);
the owner may name more and exclude some. Configuration wins: a configured URL replaces the
discovered row's URL, and an excluded profile is dropped however it was found.

>>> merge_profiles([], ["https://mastodon.social/@Shop"], [])[0].handle
'shop@mastodon.social'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from unsilo.extract.profiles import classify_profile

CONFIG = "config"


@dataclass(slots=True)
class ProfileRef:
    """One profile to audit and where it was found (``sameAs``, ``link``, ``rel-me``, config)."""

    platform: str
    handle: str
    profile_url: str
    found_in: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return self.platform, self.handle.lower()


def parse_profile_url(url: str, found_in: str = CONFIG) -> ProfileRef | None:
    """A ``ProfileRef`` for a profile URL; ``None`` when the URL is no profile."""
    parsed = classify_profile(url.strip())
    if (parsed is None or not parsed[1]) and found_in == CONFIG:
        parsed = _configured_mastodon(url.strip())
    if parsed is None or not parsed[1]:
        return None
    platform, handle = parsed
    return ProfileRef(platform, handle, url.strip(), [found_in])


def merge_profiles(
    discovered: list[ProfileRef], configured: list[str], exclude: list[str]
) -> list[ProfileRef]:
    """One ``ProfileRef`` per (platform, handle): discovered first, then configured ones.

    ``exclude`` holds profile URLs (or ``platform:handle``); an unparseable configured URL
    raises, because a typo in a config file should be fixed, not skipped silently.
    """
    merged: dict[tuple[str, str], ProfileRef] = {}
    for ref in discovered:
        have = merged.get(ref.key)
        if have is None:
            merged[ref.key] = ProfileRef(ref.platform, ref.handle, ref.profile_url, [])
            have = merged[ref.key]
        have.found_in = _union(have.found_in, ref.found_in)
    for url in configured:
        ref = parse_profile_url(url)
        if ref is None:
            raise ValueError(f"not a social profile URL: {url!r} (e.g. https://bsky.app/profile/x)")
        have = merged.get(ref.key)
        if have is None:
            merged[ref.key] = ref
        else:
            have.profile_url = ref.profile_url
            have.found_in = _union(have.found_in, [CONFIG])
    excluded = {_exclusion_key(item) for item in exclude}
    return [ref for key, ref in merged.items() if key not in excluded]


def json_list(value: str | list[str] | None, name: str) -> list[str]:
    """A ``-a name=…`` argument as a list of strings: a JSON list, ``@path`` of a file that
    holds one (a long list stays out of the command line and the process list), or a bare
    value, which is a list of one.

    >>> json_list('["https://x.com/a"]', "profiles"), json_list("https://x.com/a", "profiles")
    (['https://x.com/a'], ['https://x.com/a'])
    """
    if value is None or value == "":
        return []
    if isinstance(value, list):
        items: object = value
    elif value.startswith("@"):
        items = _json_file(value[1:], name)
    elif value.lstrip().startswith("["):
        try:
            items = json.loads(value)
        except ValueError as exc:
            raise ValueError(f"-a {name} must be a JSON list of strings: {exc}") from exc
    else:
        items = [value]
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"-a {name} must be a JSON list of strings, got {value!r}")
    return items


def json_object(value: str | None, name: str) -> dict[str, Any]:
    """A ``-a name=…`` argument that is a JSON object, or ``@path`` of a file holding one;
    empty: ``{}``. Anything else is a one-line ``ValueError`` naming the argument.

    >>> json_object('{"local": "http://127.0.0.1:9"}', "endpoints")
    {'local': 'http://127.0.0.1:9'}
    """
    if not value:
        return {}
    if value.startswith("@"):
        found = _json_file(value[1:], name, "a JSON object")
    else:
        try:
            found = json.loads(value)
        except ValueError as exc:
            raise ValueError(f"-a {name} must be a JSON object: {exc}") from exc
    if not isinstance(found, dict):
        raise ValueError(f"-a {name} must be a JSON object, got {type(found).__name__}")
    return found


def _json_file(path: str, name: str, shape: str = "a JSON list of strings") -> object:
    """The JSON in the file of ``-a name=@path``; a missing or malformed file says which."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise ValueError(f"-a {name}=@{path}: cannot read the file ({reason})") from exc
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"-a {name}=@{path} must hold {shape}: {exc}") from exc


def _configured_mastodon(url: str) -> tuple[str, str] | None:
    """``https://<any host>/@user`` as Mastodon: an owner naming it is proof enough, where a
    link on a page is not (medium.com uses the same shape)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    host = (parts.hostname or "").lower()
    if parts.scheme in ("http", "https") and host and len(segments) == 1:
        user = segments[0]
        if user.startswith("@") and len(user) > 1 and "@" not in user[1:]:
            return "mastodon", f"{user[1:].lower()}@{host}"
    return None


def _exclusion_key(item: str) -> tuple[str, str]:
    ref = parse_profile_url(item)
    if ref is not None:
        return ref.key
    platform, _, handle = item.partition(":")
    return platform.strip().lower(), handle.strip().lower()


def _union(a: list[str], b: list[str]) -> list[str]:
    return list(dict.fromkeys([*a, *b]))
