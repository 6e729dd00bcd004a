"""Pinterest adapter, best-effort: profile RSS (cadence, pins), widget JSON (follower count).

Without an API v5 token only unofficial surfaces remain: the RSS feed is stable, the
``pidgets`` widget JSON is undocumented, so every key of it is optional. The spider's steps:
the feed (the profile's posts), then the widget for the counts the feed lacks. The widget is
best-effort: when it fails, the profile keeps its posts and its counts stay unknown.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from unsilo.social.adapter import (
    RSS_NOTE,
    ProfileState,
    SocialRequest,
    SocialResponse,
    Step,
    feed_profile,
)
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
WIDGET_NOTE = (
    "posts from the public RSS feed; follower and pin counts from Pinterest's unofficial "
    "widget JSON (best-effort)"
)


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


def _data(data: bytes | str | dict[str, Any]) -> dict[str, Any]:
    parsed = load_json(data)
    inner = parsed.get("data") if isinstance(parsed, dict) else None
    if not isinstance(inner, dict):
        raise MalformedResponse("pidgets answer without a data object")
    return inner


# --- adapter: the steps the social spider drives (``unsilo.social.adapter``) ---------------


def first_requests(state: ProfileState) -> list[SocialRequest]:
    return [SocialRequest(state.endpoints.pinterest_feed(state.handle), "feed")]


def parse(response: SocialResponse, state: ProfileState) -> Step:
    """``feed`` → the pins, a profile without counts, and the widget request; ``widget`` →
    the profile with the widget's counts (a count the widget omits stays unknown)."""
    if response.request.step == "feed":
        posts, links = pins_from_rss(response.body, state.handle)
        widget = SocialRequest(
            state.endpoints.pinterest_user_pins(state.handle),
            "widget",
            best_effort="follower count",
        )
        return Step(profile=feed_profile(state, RSS_NOTE), posts=posts, links=links, next=[widget])
    profile = profile_from_pidgets(response.body, state.handle, fetched_at=state.fetched_at)
    profile.status_reason = WIDGET_NOTE if profile.followers is not None else RSS_NOTE
    return Step(profile=profile)
