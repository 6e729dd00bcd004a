"""Tumblr adapter: blog RSS (``https://<blog>.tumblr.com/rss``) → posts and their links.

Note counts need an API key; the feed gives cadence, text and links, nothing more: the
spider's one step is the feed.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from unsilo.social.adapter import (
    RSS_NOTE,
    ProfileState,
    SocialRequest,
    SocialResponse,
    Step,
    feed_profile,
)
from unsilo.social.feeds import rss_entries
from unsilo.social.items import PostItem, PostLinkItem
from unsilo.social.text import distinct_urls, link_rows
from unsilo.urls import is_http_url

PLATFORM = "tumblr"


def posts_from_rss(body: bytes | str, handle: str) -> tuple[list[PostItem], list[PostLinkItem]]:
    """Posts of a blog feed. A reblog's description begins with a link to the
    original blog (``<a class="tumblr_blog">``), which marks it as a repost."""
    posts: list[PostItem] = []
    links: list[PostLinkItem] = []
    for entry in rss_entries(body):
        post_id = entry.guid or entry.link
        if not post_id:
            continue
        soup = BeautifulSoup(entry.description, "html.parser")
        anchors = soup.find_all("a", href=True)
        reblog = any("tumblr_blog" in (a.get("class") or []) for a in anchors)
        hrefs = [
            str(a["href"]).strip()
            for a in anchors
            if "tumblr_blog" not in (a.get("class") or []) and is_http_url(str(a["href"]))
        ]
        rows = link_rows(PLATFORM, post_id, [(h, "content") for h in hrefs])
        text = " ".join(soup.get_text(" ").split())
        posts.append(
            PostItem(
                platform=PLATFORM,
                handle=handle,
                post_id=post_id,
                url=entry.link,
                created_at=entry.published,
                text=f"{entry.title}\n\n{text}".strip() if entry.title else text,
                kind="repost" if reblog else "post",
                links=distinct_urls(rows),
            )
        )
        links.extend(rows)
    return posts, links


# --- adapter: the steps the social spider drives (``unsilo.social.adapter``) ---------------


def first_requests(state: ProfileState) -> list[SocialRequest]:
    return [SocialRequest(state.endpoints.tumblr_feed(state.handle), "feed")]


def parse(response: SocialResponse, state: ProfileState) -> Step:
    """The feed: posts and links, and a profile row whose counts stay unknown."""
    posts, links = posts_from_rss(response.body, state.handle)
    return Step(profile=feed_profile(state, RSS_NOTE), posts=posts, links=links)
