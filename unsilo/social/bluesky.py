"""Bluesky adapter: ``getProfile`` and ``getAuthorFeed`` responses → profile, posts, links.

The spider's steps: the profile, then the author feed page by page (cursor paging).

Shapes follow the AppView lexicons (``app.bsky.feed.defs#feedViewPost``). Facet offsets are
UTF-8 *byte* offsets, so linked text is cut from the encoded text, and the link itself is
always the facet's full ``uri``: the visible text is often truncated (``…``).
"""

from __future__ import annotations

from typing import Any

from unsilo.social.adapter import ProfileState, SocialRequest, SocialResponse, Step
from unsilo.social.endpoints import PUBLIC, Endpoints
from unsilo.social.errors import MalformedResponse, load_json
from unsilo.social.items import PostItem, PostLinkItem, ProfileItem
from unsilo.social.text import (
    as_int,
    as_str,
    distinct_urls,
    link_rows,
    urls_in_text,
    with_link_domains,
)

PLATFORM = "bluesky"
LINK_FACET = "app.bsky.richtext.facet#link"
REPOST = "app.bsky.feed.defs#reasonRepost"
EXTERNAL = ("app.bsky.embed.external", "app.bsky.embed.external#view")
RECORD = ("app.bsky.embed.record", "app.bsky.embed.record#view")
RECORD_WITH_MEDIA = ("app.bsky.embed.recordWithMedia", "app.bsky.embed.recordWithMedia#view")
CUSTODIAL_SUFFIXES = (".bsky.social",)  # handles a user does not prove by DNS


def profile_from_json(
    data: bytes | str | dict[str, Any],
    *,
    endpoints: Endpoints = PUBLIC,
    fetched_at: str | None = None,
) -> ProfileItem:
    """The profile of a ``getProfile`` answer.

    A domain handle (``examplegoods.com``) is proven by DNS or ``/.well-known``, so it
    counts as a verified link to ``https://<handle>``, like Mastodon's ``rel=me``.
    """
    data = _object(load_json(data))
    handle = as_str(data.get("handle"))
    if handle is None:
        raise MalformedResponse("profile without handle")
    description = as_str(data.get("description"))
    website = as_str(data.get("website"))
    bio_links = ([website] if website else []) + urls_in_text(description)
    domain_handle = "." in handle and not handle.endswith(CUSTODIAL_SUFFIXES)
    profile = ProfileItem(
        platform=PLATFORM,
        handle=handle,
        profile_url=endpoints.bluesky_profile_url(handle),
        api_status="ok",
        display_name=as_str(data.get("displayName")),
        description=description,
        website=website,
        links_in_bio=list(dict.fromkeys(bio_links)),
        followers=as_int(data.get("followersCount")),
        following=as_int(data.get("followsCount")),
        posts_count=as_int(data.get("postsCount")),
        verified_links=[f"https://{handle}"] if domain_handle else [],
        created_at=as_str(data.get("createdAt")),
        fetched_at=fetched_at,
    )
    return with_link_domains(profile)


def posts_from_author_feed(
    data: bytes | str | dict[str, Any],
    handle: str,
    *,
    endpoints: Endpoints = PUBLIC,
) -> tuple[list[PostItem], list[PostLinkItem], str | None]:
    """Posts and their links from one ``getAuthorFeed`` page, plus the next cursor."""
    data = _object(load_json(data))
    feed = data.get("feed")
    if not isinstance(feed, list):
        raise MalformedResponse("author feed without a feed list")
    posts: list[PostItem] = []
    links: list[PostLinkItem] = []
    for entry in feed:
        if isinstance(entry, dict) and isinstance(entry.get("post"), dict):
            post, post_links = _post(entry, handle, endpoints)
            posts.append(post)
            links.extend(post_links)
    return posts, links, as_str(data.get("cursor"))


def facet_text(text: str, byte_start: Any, byte_end: Any) -> str | None:
    """The text a facet covers: a slice of the UTF-8 bytes, not of the ``str``.

    >>> facet_text("🌊 shop.example", 5, 17)
    'shop.example'
    """
    raw = text.encode("utf-8")
    if not (isinstance(byte_start, int) and isinstance(byte_end, int)):
        return None
    if not 0 <= byte_start < byte_end <= len(raw):
        return None
    return raw[byte_start:byte_end].decode("utf-8", errors="replace")


def _post(
    entry: dict[str, Any], handle: str, endpoints: Endpoints
) -> tuple[PostItem, list[PostLinkItem]]:
    post = entry["post"]
    record = post.get("record") if isinstance(post.get("record"), dict) else {}
    author = post.get("author") if isinstance(post.get("author"), dict) else {}
    reason = entry.get("reason") if isinstance(entry.get("reason"), dict) else {}
    uri = as_str(post.get("uri")) or ""
    is_repost = reason.get("$type") == REPOST
    post_id = (as_str(reason.get("uri")) or uri) if is_repost else uri
    kind = _kind(record, post, author, is_repost)
    pairs = list(_facet_links(record)) + list(_embed_links(record.get("embed")))
    pairs += list(_embed_links(post.get("embed")))
    rows = link_rows(PLATFORM, post_id, pairs)
    created = as_str(reason.get("indexedAt")) if is_repost else None
    item = PostItem(
        platform=PLATFORM,
        handle=handle,
        post_id=post_id,
        url=_post_url(uri, author, endpoints),
        created_at=created or as_str(record.get("createdAt")) or as_str(post.get("indexedAt")),
        text=as_str(record.get("text")) or "",
        kind=kind,
        is_reply_to_other=kind == "reply",
        likes=as_int(post.get("likeCount")),
        reposts=as_int(post.get("repostCount")),
        replies=as_int(post.get("replyCount")),
        quotes=as_int(post.get("quoteCount")),
        links=distinct_urls(rows),
    )
    return item, rows


def _kind(
    record: dict[str, Any], post: dict[str, Any], author: dict[str, Any], repost: bool
) -> str:
    """Repost, reply to someone else, reply to oneself (thread), quote, or plain post.

    The parent's author is read from the record's own ``reply.parent.uri``
    (``at://<did>/…``), which is present even when the parent post was deleted.
    """
    if repost:
        return "repost"
    reply = record.get("reply")
    if isinstance(reply, dict) and isinstance(reply.get("parent"), dict):
        parent_did = _did_of(as_str(reply["parent"].get("uri")))
        return "self-thread" if parent_did and parent_did == author.get("did") else "reply"
    embed_type = (post.get("embed") or record.get("embed") or {}).get("$type")
    if embed_type in RECORD or embed_type in RECORD_WITH_MEDIA:
        return "quote"
    return "post"


def _facet_links(record: dict[str, Any]):
    facets = record.get("facets")
    for facet in facets if isinstance(facets, list) else []:
        features = facet.get("features") if isinstance(facet, dict) else None
        for feature in features if isinstance(features, list) else []:
            if isinstance(feature, dict) and feature.get("$type") == LINK_FACET:
                yield as_str(feature.get("uri")) or "", "facet"


def _embed_links(embed: Any):
    """External cards, directly or as the media half of a record-with-media embed."""
    if not isinstance(embed, dict):
        return
    kind = embed.get("$type")
    if kind in EXTERNAL and isinstance(embed.get("external"), dict):
        yield as_str(embed["external"].get("uri")) or "", "embed"
    elif kind in RECORD_WITH_MEDIA:
        yield from _embed_links(embed.get("media"))


def _did_of(at_uri: str | None) -> str | None:
    if not at_uri or not at_uri.startswith("at://"):
        return None
    return at_uri[len("at://") :].split("/", 1)[0] or None


def _post_url(uri: str, author: dict[str, Any], endpoints: Endpoints) -> str | None:
    """The bsky.app URL of a post: ``at://did/app.bsky.feed.post/<rkey>`` → web link."""
    parts = uri[len("at://") :].split("/") if uri.startswith("at://") else []
    if len(parts) != 3 or parts[1] != "app.bsky.feed.post":
        return None
    return endpoints.bluesky_post_url(as_str(author.get("handle")) or parts[0], parts[2])


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise MalformedResponse(f"expected a JSON object, got {type(data).__name__}")
    return data


# --- adapter: the steps the social spider drives (``unsilo.social.adapter``) ---------------

PAGE_SIZE = 50  # getAuthorFeed's largest page


def first_requests(state: ProfileState) -> list[SocialRequest]:
    """``getProfile`` first: it names the canonical handle the feed is then asked for."""
    return [SocialRequest(state.endpoints.bluesky_profile(state.handle), "profile", api=True)]


def parse(response: SocialResponse, state: ProfileState) -> Step:
    """``profile`` → the profile and the first feed page; ``feed`` → posts and the next page.

    The next page asks for no more posts than the driver's cap still takes.
    """
    endpoints = state.endpoints
    if response.request.step == "profile":
        profile = profile_from_json(response.body, endpoints=endpoints, fetched_at=state.fetched_at)
        return Step(profile=profile, next=[_feed_page(state, profile.handle, None, state.room)])
    posts, links, cursor = posts_from_author_feed(response.body, state.handle, endpoints=endpoints)
    room = state.room - len(posts)
    pages = [_feed_page(state, state.handle, cursor, room)] if cursor and room > 0 else []
    return Step(posts=posts, links=links, next=pages)


def _feed_page(state: ProfileState, handle: str, cursor: str | None, room: int) -> SocialRequest:
    url = state.endpoints.bluesky_author_feed(handle, cursor, min(PAGE_SIZE, room))
    return SocialRequest(url, "feed", api=True, next_page=cursor is not None)
