"""Generated social accounts of a demo shop, in the shapes of the real API samples.

Data only, no server: ``fakes.py`` serves it. Every post is a pure function of its index,
so tests can predict kinds, links and promotional wording without reading the payloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape, quoteattr

PROMO_TEXTS = ("Udsalg! Spar 20% på {name} – køb nu", "Sale: {name}, free shipping this week")
PLAIN_TEXTS = ("Ny i butikken 🌊 {name} fra værkstedet", "Behind the scenes: how {name} is made")
REPLY_TEXT = "Tak! Ja, vi sender til Sverige 🇸🇪 – se {name}"
OTHER_DID = "did:plc:cis2jhtlgmxgedn73u55xtpl"
OWN_DID = "did:plc:ujzdegxdncf32epf3dhodzdo"
OTHER_MASTODON_ID = "23634"
OWN_MASTODON_ID = "109350112345678901"
FEED_LIMIT = 15
OUTSIDE_LINK = "https://design.example/inspiration/"  # where posts not about the shop link


@dataclass(frozen=True, slots=True)
class FakePost:
    """One generated post: what the shop wrote, where it links, what kind it is."""

    index: int
    kind: str  # post | reply | self-thread | repost
    text: str
    link: str
    promotional: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FakeSocial:
    """The demo shop's accounts. ``paths`` are shop pages the posts link to."""

    shop_base: str
    paths: tuple[str, ...] = ("/", "/sale", "/blog", "/about", "/shipping")
    bluesky_handle: str = "nordlysgoods.example"
    mastodon_username: str = "nordlysgoods"
    mastodon_instance: str = "mastodon.social"
    youtube_handle: str = "nordlysgoods"
    pinterest_user: str = "nordlysgoods"
    youtube_channel_id: str = "UC7mJ4dWb2Qk9sXhT1pLrVeA"
    post_count: int = 24
    anchor: datetime = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)
    # How active the accounts are (the history demo grows them month by month):
    days_between_posts: float = 2.0
    followers: int = 1243  # on Bluesky
    mastodon_followers: int = 311
    shop_link_every: int = 1  # every n-th post links a shop page, the others elsewhere
    bio_links_shop: bool = True  # the Bluesky profile names the shop (profile → shop)

    def post(self, i: int) -> FakePost:
        """Post ``i`` (0 = newest): every 5th a repost, 4th a reply, 6th a self-thread."""
        kind = "repost" if i % 5 == 4 else "reply" if i % 4 == 1 else "post"
        kind = "self-thread" if kind == "post" and i % 6 == 3 else kind
        link = self.shop_base.rstrip("/") + self.paths[i % len(self.paths)]
        if i % self.shop_link_every:
            link = f"{OUTSIDE_LINK}{i}"
        promotional = kind == "post" and i % 3 == 0
        texts = PROMO_TEXTS if promotional else PLAIN_TEXTS
        template = REPLY_TEXT if kind == "reply" else texts[i % 2]
        when = self.anchor - timedelta(days=self.days_between_posts * i, hours=i % 7)
        return FakePost(i, kind, template.format(name=f"vare {i}"), link, promotional, when)

    def posts(self) -> list[FakePost]:
        return [self.post(i) for i in range(self.post_count)]


def bluesky_profile(social: FakeSocial) -> dict[str, Any]:
    handle = social.bluesky_handle
    return {
        "did": OWN_DID,
        "handle": handle,
        "displayName": "Nordlys Goods",
        "description": "Håndlavet keramik 🏺"
        + (f"\nShop: {social.shop_base}" if social.bio_links_shop else ""),
        "website": social.shop_base if social.bio_links_shop else None,
        "followersCount": social.followers,
        "followsCount": 187,
        "postsCount": social.post_count,
        "createdAt": "2023-11-02T09:14:51.220Z",
        "labels": [],
    }


def bluesky_feed_item(social: FakeSocial, post: FakePost) -> dict[str, Any]:
    """A ``feedViewPost``: link facet on UTF-8 byte offsets, reply refs, repost reason."""
    text = f"{post.text} {post.link}"
    start = len(f"{post.text} ".encode())
    did = OTHER_DID if post.kind == "repost" else OWN_DID
    author = {"did": did, "handle": social.bluesky_handle, "displayName": "Nordlys Goods"}
    if post.kind == "repost":
        author = {"did": did, "handle": "mira-k.bsky.social", "displayName": "Mira K."}
    uri = f"at://{did}/app.bsky.feed.post/3lc{post.index:010d}"
    record: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "createdAt": _iso(post.created_at),
        "facets": [
            {
                "index": {"byteStart": start, "byteEnd": start + len(post.link.encode())},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": post.link}],
            }
        ],
        "langs": ["da"],
        "text": text,
    }
    if post.kind in ("reply", "self-thread"):
        parent_did = OTHER_DID if post.kind == "reply" else OWN_DID
        ref = {"cid": "bafyreil3erbfqfoeqh5av2ricphkqdlmttns4lrwbqcabm6p4g37ztnovm"}
        ref["uri"] = f"at://{parent_did}/app.bsky.feed.post/3llparent{post.index:04d}"
        record["reply"] = {"parent": ref, "root": ref}
    item: dict[str, Any] = {
        "post": {
            "uri": uri,
            "cid": "bafyreigi3mnbqnspuq2idw52ijb4lajlj6hdu6gdpmrcg4be4umr46pqm4",
            "author": author,
            "record": record,
            "replyCount": post.index % 4,
            "repostCount": post.index % 3,
            "likeCount": 5 + post.index,
            "quoteCount": post.index % 2,
            "indexedAt": _iso(post.created_at),
            "labels": [],
        }
    }
    if post.kind == "repost":
        item["reason"] = {
            "$type": "app.bsky.feed.defs#reasonRepost",
            "by": {"did": OWN_DID, "handle": social.bluesky_handle},
            "uri": f"at://{OWN_DID}/app.bsky.feed.repost/3la{post.index:010d}",
            "indexedAt": _iso(post.created_at),
        }
    return item


def mastodon_account(social: FakeSocial) -> dict[str, Any]:
    """An Account entity whose "Website" field is ``rel=me`` verified."""
    link = social.shop_base
    return {
        "id": OWN_MASTODON_ID,
        "username": social.mastodon_username,
        "acct": social.mastodon_username,
        "display_name": "Nordlys Goods",
        "created_at": "2022-11-12T00:00:00.000Z",
        "note": '<p>Håndlavet keramik. <a href="https://mastodon.social/tags/keramik" '
        'class="mention hashtag" rel="tag">#<span>keramik</span></a></p>',
        "url": f"https://{social.mastodon_instance}/@{social.mastodon_username}",
        "followers_count": social.mastodon_followers,
        "following_count": 42,
        "statuses_count": social.post_count,
        "fields": [
            {"name": "Pronouns", "value": "we/us", "verified_at": None},
            {
                "name": "Website",
                "value": f'<a href="{link}" rel="me nofollow noopener noreferrer">{link}</a>',
                "verified_at": "2026-01-10T10:31:10.744+00:00",
            },
        ],
    }


def mastodon_status(social: FakeSocial, post: FakePost) -> dict[str, Any]:
    sid = str(110_000_000_000_000_000 - post.index)
    account = {"id": OWN_MASTODON_ID, "username": social.mastodon_username}
    mention = (
        '<span class="h-card"><a href="https://awoo.space/@noiob" class="u-url mention">'
        "@<span>noiob</span></a></span> "
    )
    content = f"<p>{mention if post.kind == 'reply' else ''}{escape(post.text)} <a href="
    content += f'"{post.link}" rel="nofollow noopener" target="_blank">{escape(post.link)}</a></p>'
    status: dict[str, Any] = {
        "id": sid,
        "created_at": _iso(post.created_at),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "visibility": "public",
        "url": f"https://{social.mastodon_instance}/@{social.mastodon_username}/{sid}",
        "replies_count": post.index % 4,
        "reblogs_count": post.index % 3,
        "favourites_count": 3 + post.index,
        "quotes_count": 0,
        "content": content,
        "reblog": None,
        "account": account,
        "card": {"url": post.link, "title": "Nordlys Goods", "type": "link"},
    }
    if post.kind in ("reply", "self-thread"):
        status["in_reply_to_id"] = str(int(sid) + 1000)
        own = post.kind == "self-thread"
        status["in_reply_to_account_id"] = OWN_MASTODON_ID if own else OTHER_MASTODON_ID
    if post.kind == "repost":
        original = dict(status, id=str(int(sid) + 7), account={"id": OTHER_MASTODON_ID})
        status.update(content="", card=None, reblog=original)
    return status


def pinterest_widget(social: FakeSocial) -> dict[str, Any]:
    """The ``v3/pidgets/users/<user>/pins/`` widget JSON, in the sample's (partial) shape."""
    pins = [
        {
            "id": str(9100000000 + post.index),
            "title": post.text[:60],
            "description": post.text,
            "link": post.link,
            "domain": post.link.split("/")[2],
            "images": {"237x": {"url": f"https://i.pinimg.com/237x/pin{post.index}.jpg"}},
            "board": {"id": "845128529450123456", "name": "Keramik"},
        }
        for post in social.posts()[:12]
    ]
    user = {
        "id": "845128460731234567",
        "full_name": "Nordlys Goods",
        "about": "Håndlavet keramik fra Aarhus",
        "location": "Aarhus",
        "profile_url": f"https://www.pinterest.com/{social.pinterest_user}/",
        "image_small_url": "https://i.pinimg.com/30x30_RS/4e/2b/91/nordlys.jpg",
        "follower_count": 876,
        "pin_count": social.post_count,
    }
    return {"status": "success", "code": 0, "message": "OK", "data": {"user": user, "pins": pins}}


def youtube_channel_page(social: FakeSocial) -> str:
    cid = social.youtube_channel_id
    return (
        f'<html><head><link rel="canonical" href="https://www.youtube.com/channel/{cid}">'
        f'</head><body><script>var ytInitialData = {{"metadata":{{"channelMetadataRenderer":'
        f'{{"title":"Nordlys Goods","externalId":"{cid}"}}}}}};</script></body></html>'
    )


def youtube_feed(social: FakeSocial) -> str:
    """The channel feed: at most 15 videos, feed-level channel id without ``UC``."""
    cid = social.youtube_channel_id
    entries = []
    for post in [p for p in social.posts() if p.kind == "post"][:FEED_LIMIT]:
        vid = f"vid{post.index:08d}"
        entries.append(
            f"<entry><id>yt:video:{vid}</id><yt:videoId>{vid}</yt:videoId>"
            f"<yt:channelId>{cid}</yt:channelId><title>{escape(post.text)}</title>"
            f'<link rel="alternate" href="https://www.youtube.com/watch?v={vid}"/>'
            f"<published>{_iso(post.created_at)}</published><media:group>"
            f"<media:description>{escape(post.text)}: {escape(post.link)}</media:description>"
            f"<media:community><media:starRating count={quoteattr(str(post.index * 2))} "
            f'average="5.00" min="1" max="5"/><media:statistics views="{100 * post.index}"/>'
            "</media:community></media:group></entry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns:yt="http://www.youtube.com/xml/'
        'schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns="http://www.w3.org/2005/Atom">'
        f"<id>yt:channel:{cid[2:]}</id><yt:channelId>{cid[2:]}</yt:channelId>"
        f"<title>Nordlys Goods</title>{''.join(entries)}</feed>"
    )


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
