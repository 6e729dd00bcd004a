"""Pinterest adapter, best-effort: profile RSS (cadence, pins), widget JSON, URL save count.

Without an API v5 token only unofficial surfaces remain: the RSS feed is stable, the
``pidgets`` JSON and the ``count.json`` JSONP are undocumented, so every key is optional.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from unsilo.social.errors import MalformedResponse, load_json
from unsilo.social.feeds import rss_entries
from unsilo.social.items import PostItem, PostLinkItem, ProfileItem
from unsilo.social.text import (
    as_int,
    as_str,
    distinct_urls,
    link_rows,
    urls_in_text,
    with_link_domains,
)
from unsilo.urls import is_http_url, same_site

PLATFORM = "pinterest"
PIN_SITE = "pinterest.com"
_JSONP = re.compile(r"^\s*[\w$.]+\s*\((.*)\)\s*;?\s*$", re.DOTALL)


def pins_from_rss(
    body: bytes | str, handle: str, *, base: str = "https://www.pinterest.com/"
) -> tuple[list[PostItem], list[PostLinkItem]]:
    """Pins of a profile or board feed. The feed carries no destination link, so links
    are what the description text names; Pinterest's own pin links are not shop links."""
    posts: list[PostItem] = []
    links: list[PostLinkItem] = []
    for entry in rss_entries(body):
        post_id = entry.guid or entry.link
        if not post_id:
            continue
        soup = BeautifulSoup(entry.description, "html.parser")
        text = " ".join(soup.get_text(" ").split())
        hrefs = [urljoin(base, str(a["href"])) for a in soup.find_all("a", href=True)]
        found = [h for h in hrefs if is_http_url(h) and not same_site(h, PIN_SITE)]
        pairs = [(u, "content") for u in found] + [(u, "description") for u in urls_in_text(text)]
        rows = link_rows(PLATFORM, post_id, pairs)
        title = entry.title
        posts.append(
            PostItem(
                platform=PLATFORM,
                handle=handle,
                post_id=post_id,
                url=entry.link,
                created_at=entry.published,
                text=f"{title}\n\n{text}".strip() if title else text,
                kind="post",
                links=distinct_urls(rows),
            )
        )
        links.extend(rows)
    return posts, links


def profile_from_pidgets(
    data: bytes | str | dict[str, Any], handle: str, *, fetched_at: str | None = None
) -> ProfileItem:
    """Profile facts of the ``v3/pidgets/users/<user>/pins/`` widget JSON."""
    user = _data(data).get("user")
    if not isinstance(user, dict):
        raise MalformedResponse("pidgets answer without data.user")
    profile = ProfileItem(
        platform=PLATFORM,
        handle=handle,
        profile_url=as_str(user.get("profile_url")),
        api_status="ok",
        display_name=as_str(user.get("full_name")),
        description=as_str(user.get("about")),
        links_in_bio=urls_in_text(as_str(user.get("about"))),
        followers=as_int(user.get("follower_count")),
        posts_count=as_int(user.get("pin_count")),
        fetched_at=fetched_at,
    )
    return with_link_domains(profile)


def pins_from_pidgets(
    data: bytes | str | dict[str, Any], handle: str
) -> tuple[list[PostItem], list[PostLinkItem]]:
    """Pins of the widget JSON; ``link`` is the pin's destination (its card)."""
    pins = _data(data).get("pins")
    posts: list[PostItem] = []
    links: list[PostLinkItem] = []
    for pin in pins if isinstance(pins, list) else []:
        pin_id = as_str(pin.get("id")) if isinstance(pin, dict) else None
        if not pin_id:
            continue
        rows = link_rows(PLATFORM, pin_id, [(as_str(pin.get("link")) or "", "card")])
        text = "\n\n".join(
            t for t in (as_str(pin.get("title")), as_str(pin.get("description"))) if t
        )
        posts.append(
            PostItem(
                platform=PLATFORM,
                handle=handle,
                post_id=pin_id,
                url=f"https://www.pinterest.com/pin/{pin_id}/",
                created_at=None,
                text=text,
                kind="post",
                links=distinct_urls(rows),
            )
        )
        links.extend(rows)
    return posts, links


def save_count_from_jsonp(body: bytes | str) -> int | None:
    """The save count of ``receiveCount({"url": …, "count": 12})``; ``None`` if unreadable."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    match = _JSONP.match(text)
    try:
        data = json.loads(match.group(1) if match else text)
    except ValueError:
        return None
    return as_int(data.get("count")) if isinstance(data, dict) else None


def _data(data: bytes | str | dict[str, Any]) -> dict[str, Any]:
    parsed = load_json(data)
    inner = parsed.get("data") if isinstance(parsed, dict) else None
    if not isinstance(inner, dict):
        raise MalformedResponse("pidgets answer without a data object")
    return inner
