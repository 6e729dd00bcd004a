"""Bluesky posts as signals: what both Bluesky sources share (``bluesky``, ``bluesky_search``).

A post found by either source is completed the same way: ``getPosts`` (≤25 URIs a call)
for likes, reposts, replies and quotes of posts known only by their at:// URI (Constellation
backlinks), then ``getPostThread`` for posts with replies, to count the replies by people
other than the post's author (``replies_by_others``: the "conversation" signal). The shop
answering a customer's share counts: it is a reply by someone other than the author, and a
conversation about the page. The shop answering its own post does not, nor does a customer
answering under their own post.

Both follow-ups ``carry`` the signals they complete, so a failed call keeps the share with
what was known (``follow_up`` names what is lost). Links are read as the social adapter reads
them (``unsilo.social.bluesky``): link facets' full ``uri`` and external link cards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode

from unsilo.signals.items import SignalItem
from unsilo.signals.source import SignalContext, SignalRequest, SignalStep, SignalTarget
from unsilo.social.bluesky import _embed_links, _facet_links  # one reading of a post's links
from unsilo.social.errors import MalformedResponse, load_json
from unsilo.social.text import as_int, as_str

POSTS_PER_CALL = 25  # app.bsky.feed.getPosts takes at most 25 URIs
THREAD_DEPTH = 6  # replies deeper than this are not counted (getPostThread's default)
TITLE_CHARS = 200
POST_COLLECTION = "app.bsky.feed.post"
HYDRATE_LOSS = "handle, likes, reposts, replies and quotes"
THREAD_LOSS = "replies by others"


def post_links(post: dict[str, Any]) -> list[str]:
    """Every URL a postView links: link facets, its record's card and the rendered card."""
    record = post.get("record") if isinstance(post.get("record"), dict) else {}
    pairs = [*_facet_links(record), *_embed_links(record.get("embed"))]
    pairs += list(_embed_links(post.get("embed")))
    return list(dict.fromkeys(url for url, _ in pairs if url))


def at_uri(did: str, rkey: str, collection: str = POST_COLLECTION) -> str:
    return f"at://{did}/{collection}/{rkey}"


def permalink(ctx: SignalContext, author: str, at: str) -> str | None:
    """``https://bsky.app/profile/<handle or did>/post/<rkey>`` for a post's at:// URI."""
    parts = at.removeprefix("at://").split("/")
    if not at.startswith("at://") or len(parts) != 3 or parts[1] != POST_COLLECTION:
        return None
    return f"{ctx.endpoints.bluesky_web}/profile/{quote(author, safe=':')}/post/{quote(parts[2])}"


def is_shop_author(ctx: SignalContext, handle: str | None, did: str | None) -> bool:
    """Whether the author is the shop: a profile in ``own_handles`` (by handle or DID), or a
    handle that is the shop's own host name (a domain handle is proven by DNS)."""
    names = {n for n in (handle, did) if n}
    own = {h.split(":", 1)[1] for h in ctx.own_handles if h.startswith("bluesky:")}
    return bool(names & own) or (handle or "").lower() in ctx.hosts


def with_post(ctx: SignalContext, signal: SignalItem, post: dict[str, Any]) -> SignalItem:
    """``signal`` completed from its postView: author, counts, date, text, by_shop."""
    author = post.get("author") if isinstance(post.get("author"), dict) else {}
    record = post.get("record") if isinstance(post.get("record"), dict) else {}
    handle, did = as_str(author.get("handle")), as_str(author.get("did"))
    text = (as_str(record.get("text")) or "").strip()
    return replace(
        signal,
        permalink=permalink(ctx, handle or did or "", signal.item_id) or signal.permalink,
        title=text[:TITLE_CHARS] or None,
        author=handle or did or signal.author,
        points=as_int(post.get("likeCount")),
        comments=as_int(post.get("replyCount")),
        reposts=as_int(post.get("repostCount")),
        quotes=as_int(post.get("quoteCount")),
        first_seen=as_str(record.get("createdAt")) or as_str(post.get("indexedAt")),
        by_shop=is_shop_author(ctx, handle, did),
    )


def hydrate_requests(
    ctx: SignalContext, check: SignalTarget, stubs: Iterable[SignalItem]
) -> list[SignalRequest]:
    """``getPosts`` calls for signals known only by at:// URI, 25 URIs a call."""
    stubs = list(stubs)
    calls = []
    for start in range(0, len(stubs), POSTS_PER_CALL):
        batch = tuple(stubs[start : start + POSTS_PER_CALL])
        query = urlencode([("uris", s.item_id) for s in batch])
        url = f"{ctx.endpoints.bluesky_api}/xrpc/app.bsky.feed.getPosts?{query}"
        calls.append(SignalRequest(url, "posts", check, carry=batch, follow_up=HYDRATE_LOSS))
    return calls


def parse_posts(body: bytes, request: SignalRequest, ctx: SignalContext) -> SignalStep:
    """A ``getPosts`` answer: carried stubs completed; posts it no longer returns (deleted,
    taken down, or from a blocked account) are dropped, as nobody can read them now."""
    posts = posts_of(load_json(body))
    by_uri = {p.get("uri"): p for p in posts}
    step = SignalStep()
    for stub in request.carry:
        post = by_uri.get(stub.item_id)
        if post is not None:
            step.signals.append(with_post(ctx, stub, post))
    return thread_follow_ups(ctx, request.check, step.signals, step)


def thread_follow_ups(
    ctx: SignalContext, check: SignalTarget, signals: list[SignalItem], step: SignalStep
) -> SignalStep:
    """Keep signals without replies in ``step``; ask one thread per post with replies (a post
    linking two shop pages is two signals and one thread)."""
    step.signals = [s for s in signals if not s.comments]
    by_post: dict[str, list[SignalItem]] = {}
    for signal in signals:
        if signal.comments:
            by_post.setdefault(signal.item_id, []).append(signal)
    for uri, carried in by_post.items():
        query = urlencode({"uri": uri, "depth": THREAD_DEPTH, "parentHeight": 0})
        url = f"{ctx.endpoints.bluesky_api}/xrpc/app.bsky.feed.getPostThread?{query}"
        step.next.append(
            SignalRequest(url, "thread", check, carry=tuple(carried), follow_up=THREAD_LOSS)
        )
    return step


def parse_thread(body: bytes, request: SignalRequest) -> SignalStep:
    """A ``getPostThread`` answer: the carried signal with its replies counted.

    ``comments`` becomes every reply in the tree (to ``THREAD_DEPTH``), ``replies_by_others``
    those whose author is not the root post's author; unreadable nodes (``#notFoundPost``,
    ``#blockedPost``) have no author and are not counted.
    """
    data = load_json(body)
    thread = data.get("thread") if isinstance(data, dict) else None
    if not isinstance(thread, dict) or not isinstance(thread.get("post"), dict):
        raise MalformedResponse("getPostThread answer without a thread post")
    root_did = _author_did(thread["post"])
    authors = list(_reply_authors(thread))
    step = SignalStep()
    for signal in request.carry:
        step.signals.append(
            replace(
                signal,
                comments=max(len(authors), signal.comments or 0),
                replies_by_others=sum(1 for did in authors if did != root_did),
            )
        )
    return step


def _reply_authors(node: dict[str, Any]) -> Iterator[str]:
    replies = node.get("replies")
    for reply in replies if isinstance(replies, list) else []:
        if isinstance(reply, dict) and isinstance(reply.get("post"), dict):
            did = _author_did(reply["post"])
            if did:
                yield did
            yield from _reply_authors(reply)


def _author_did(post: dict[str, Any]) -> str | None:
    author = post.get("author")
    return as_str(author.get("did")) if isinstance(author, dict) else None


def posts_of(data: Any) -> list[dict[str, Any]]:
    """The postViews of a ``getPosts`` or ``searchPosts`` answer."""
    posts = data.get("posts") if isinstance(data, dict) else None
    if not isinstance(posts, list):
        raise MalformedResponse("Bluesky answer without a posts list")
    return [p for p in posts if isinstance(p, dict) and as_str(p.get("uri"))]
