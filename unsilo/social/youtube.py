"""YouTube adapter: channel page → channel id; channel RSS feed → videos and their links.

Without an API key the feed is all there is: it holds only the **latest 15 videos**, with
views and star-rating counts (``media:statistics``, ``media:starRating``), and it has gone
down for days at a time (2024–2026). Subscribers and comments need the Data API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from unsilo.social.adapter import ProfileState, SocialRequest, SocialResponse, Step, feed_profile
from unsilo.social.errors import MalformedResponse
from unsilo.social.feeds import parse_xml
from unsilo.social.items import PostItem, PostLinkItem
from unsilo.social.text import as_int, distinct_urls, link_rows, urls_in_text

PLATFORM = "youtube"
FEED_LIMIT = 15
FEED_LIMIT_NOTE = (
    f"The YouTube channel feed lists only the latest {FEED_LIMIT} videos; "
    "older videos and comments need the YouTube Data API."
)
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "yt": "http://www.youtube.com/xml/schemas/2015",
    "media": "http://search.yahoo.com/mrss/",
}
_CHANNEL_ID = re.compile(r"UC[0-9A-Za-z_-]{22}")
_BARE_ID = re.compile(r"[0-9A-Za-z_-]{22}")
_EXTERNAL_ID = re.compile(r'"externalId"\s*:\s*"(UC[0-9A-Za-z_-]{22})"')
_CHANNEL_URL = re.compile(r"/channel/(UC[0-9A-Za-z_-]{22})(?![0-9A-Za-z_-])")
_FEED_URL = re.compile(r"[?&]channel_id=(UC[0-9A-Za-z_-]{22})(?![0-9A-Za-z_-])")


@dataclass(slots=True)
class YouTubeFeed:
    """What one channel feed says: its channel, its (at most 15) videos and their links."""

    channel_id: str | None
    title: str | None
    posts: list[PostItem] = field(default_factory=list)
    links: list[PostLinkItem] = field(default_factory=list)
    feed_limit_note: str = FEED_LIMIT_NOTE


def channel_id_from_page(html: str | bytes) -> str | None:
    """The ``UC…`` channel id of a channel page (``/@handle``), or ``None``.

    Tries, in order: ``<link rel=canonical>``, the ``"externalId"`` in the page's JSON,
    ``<meta itemprop=identifier|channelId>``, and the RSS alternate link. The real page is
    ~1 MB; any one of these is enough.
    """
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.find_all("link", rel="canonical", href=True):
        if match := _CHANNEL_URL.search(str(link["href"])):
            return match.group(1)
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    if match := _EXTERNAL_ID.search(text):
        return match.group(1)
    for meta in soup.find_all("meta", itemprop=("identifier", "channelId"), content=True):
        if _CHANNEL_ID.fullmatch(str(meta["content"]).strip()):
            return str(meta["content"]).strip()
    for link in soup.find_all("link", type="application/rss+xml", href=True):
        if match := _FEED_URL.search(str(link["href"])):
            return match.group(1)
    return None


def normalize_channel_id(raw: str | None) -> str | None:
    """``UC…`` form of a channel id; the feed-level ``yt:channelId`` omits the ``UC``.

    >>> normalize_channel_id("7mJ4dWb2Qk9sXhT1pLrVeA")
    'UC7mJ4dWb2Qk9sXhT1pLrVeA'
    """
    raw = (raw or "").strip().removeprefix("yt:channel:")
    if _CHANNEL_ID.fullmatch(raw):
        return raw
    if _BARE_ID.fullmatch(raw):
        return "UC" + raw
    return None


def videos_from_feed(xml: bytes | str, handle: str | None = None) -> YouTubeFeed:
    """Videos of a channel feed (``/feeds/videos.xml?channel_id=…``), newest first.

    Title and description form the post text; links come from the description. Without
    a ``handle`` the posts are filed under the channel id.
    """
    root = parse_xml(xml)
    if root.tag != f"{{{NS['atom']}}}feed":
        raise MalformedResponse(f"not an Atom feed (root {root.tag})")
    entries = root.findall("atom:entry", NS)
    ids = [root.findtext("yt:channelId", namespaces=NS)]
    ids += [e.findtext("yt:channelId", namespaces=NS) for e in entries]
    channel_id = next((c for c in map(normalize_channel_id, ids) if c), None)
    feed = YouTubeFeed(channel_id=channel_id, title=root.findtext("atom:title", namespaces=NS))
    for entry in entries:
        video_id = (entry.findtext("yt:videoId", namespaces=NS) or "").strip()
        if video_id:
            post, rows = _video(entry, video_id, handle or channel_id or "")
            feed.posts.append(post)
            feed.links.extend(rows)
    return feed


def _video(entry, video_id: str, handle: str) -> tuple[PostItem, list[PostLinkItem]]:
    title = (entry.findtext("atom:title", namespaces=NS) or "").strip()
    description = (entry.findtext("media:group/media:description", namespaces=NS) or "").strip()
    rating = entry.find("media:group/media:community/media:starRating", NS)
    stats = entry.find("media:group/media:community/media:statistics", NS)
    link = entry.find("atom:link[@rel='alternate']", NS)
    rows = link_rows(PLATFORM, video_id, [(u, "description") for u in urls_in_text(description)])
    post = PostItem(
        platform=PLATFORM,
        handle=handle,
        post_id=video_id,
        url=link.get("href") if link is not None else None,
        created_at=(entry.findtext("atom:published", namespaces=NS) or "").strip() or None,
        text=f"{title}\n\n{description}".strip(),
        kind="post",
        views=as_int(stats.get("views")) if stats is not None else None,
        rating_count=as_int(rating.get("count")) if rating is not None else None,
        links=distinct_urls(rows),
    )
    return post, rows


# --- adapter: the steps the social spider drives (``unsilo.social.adapter``) ---------------


def first_requests(state: ProfileState) -> list[SocialRequest]:
    """The channel feed at once for a ``UC…`` id; else the ``/@handle`` page names the id."""
    handle = state.ref.handle
    if normalize_channel_id(handle) == handle:
        return [_feed_request(state, handle)]
    return [SocialRequest(state.endpoints.youtube_channel_page(handle), "page")]


def parse(response: SocialResponse, state: ProfileState) -> Step:
    """``page`` → the feed request; ``feed`` → the channel (title only) and its videos."""
    if response.request.step == "page":
        channel_id = channel_id_from_page(response.body)
        if channel_id is None:
            raise MalformedResponse("the channel page names no channel id")
        return Step(next=[_feed_request(state, channel_id)])
    feed = videos_from_feed(response.body, state.handle)
    profile = feed_profile(state, feed.feed_limit_note, display_name=feed.title)
    return Step(profile=profile, posts=feed.posts, links=feed.links)


def _feed_request(state: ProfileState, channel_id: str) -> SocialRequest:
    """The feed has answered 404 and 5xx for existing channels: an outage, not "not found"."""
    return SocialRequest(state.endpoints.youtube_feed(channel_id), "feed", outage_feed=True)
