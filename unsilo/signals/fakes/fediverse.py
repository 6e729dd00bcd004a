"""Fake routes of the fediverse sources: Constellation, the Bluesky AppView and PDS, Lemmy.

Answers are in the shapes of the samples (``tests/signals/fixtures``), with the real traps:
Constellation and Lemmy 0.19 match the URL as an exact string; ``searchPosts`` needs the
session token of ``createSession``; a Lemmy instance answers only the API of its version
(``FakeSignals.lemmy_instances``), and private or rate-limited instances answer HTTP 400
envelopes.

Share conventions (``FakeShare``): Bluesky shares (``source="bluesky"``) have an at:// URI as
``item_id`` and the handle as ``author``; ``extra`` ``link`` is ``facet``, ``card``, ``both``
(default) or ``text`` (named in text, not linked). ``comments`` are all replies,
``replies_by_others`` those by others, the rest by the author. Lemmy shares have the
``ap_id`` as ``item_id``, ``extra`` ``instance`` (origin) and ``copies`` (space-separated
instances holding a federated copy, which count half the votes and comments).
"""

from __future__ import annotations

import json

from unsilo.signals.fakes.data import FakeShare, FakeSignals
from unsilo.signals.fakes.server import Answer, FakeCall, Route, json_answer

FAKE_LOGIN = ("shop.bsky.social", "fake-app-password")  # the login createSession accepts
FAKE_TOKEN = "fake-access-jwt"
EXPIRED_TOKEN = "expired-access-jwt"  # a token searchPosts answers ExpiredToken to
FACET_PATH = ".facets[].features[app.bsky.richtext.facet#link].uri"
CARD_PATH = ".embed.external.uri"


def routes(data: FakeSignals) -> dict[str, Route]:
    shares = {s.item_id: s for s in data.of("bluesky")}

    def on_path(share: FakeShare, path: str) -> bool:
        link = share.get("link", "both")
        return link in ("both", "facet" if path == FACET_PATH else "card")

    def links_all(call: FakeCall) -> Answer:
        target = call.query.get("target", "")
        counts = {}
        for path in (FACET_PATH, CARD_PATH):
            found = [s for s in shares.values() if s.url == target and on_path(s, path)]
            if found:
                dids = {_did(s) for s in found}
                counts[path] = {"records": len(found), "distinct_dids": len(dids)}
        return json_answer(200, {"links": {"app.bsky.feed.post": counts} if counts else {}})

    def backlinks(call: FakeCall) -> Answer:
        collection, _, path = call.query.get("source", "").partition(":")
        found = [
            s
            for s in shares.values()
            if s.url == call.query.get("subject") and on_path(s, f".{path}")
        ]
        if collection != "app.bsky.feed.post":
            found = []
        page, cursor = _page(found, call, "cursor", 16)
        records = [{"did": _did(s), "collection": collection, "rkey": _rkey(s)} for s in page]
        cursor_hex = format(cursor, "x") if cursor is not None else None
        return json_answer(200, {"total": len(found), "records": records, "cursor": cursor_hex})

    def get_posts(call: FakeCall) -> Answer:
        found = [shares[u] for u in call.multi.get("uris", []) if u in shares]
        return json_answer(200, {"posts": [_post_view(s, data) for s in found]})

    def thread(call: FakeCall) -> Answer:
        share = shares.get(call.query.get("uri", ""))
        if share is None:
            return json_answer(400, {"error": "NotFound", "message": "Post not found"})
        return json_answer(200, {"thread": _thread(share, data)})

    def session(call: FakeCall) -> Answer:
        login = json.loads(call.body or b"{}")
        if (login.get("identifier"), login.get("password")) != FAKE_LOGIN:
            message = "Invalid identifier or password"
            return json_answer(401, {"error": "AuthenticationRequired", "message": message})
        return json_answer(200, {"did": "did:plc:fakeshop", "accessJwt": FAKE_TOKEN})

    def search(call: FakeCall) -> Answer:
        token = call.headers.get("authorization", "").removeprefix("Bearer ")
        if token == EXPIRED_TOKEN:
            return json_answer(400, {"error": "ExpiredToken", "message": "Token has expired"})
        if token != FAKE_TOKEN:
            return json_answer(403, {"error": "Forbidden", "message": "search needs a login"})
        q, domain = call.query.get("q", "").lower(), call.query.get("domain")
        found = [s for s in data.of("bluesky") if q in s.url.lower()]
        if domain:
            found = [s for s in found if s.get("link", "both") != "text" and domain in s.url]
        page, cursor = _page(found, call, "cursor", 25)
        answer = {"posts": [_post_view(s, data) for s in page], "hitsTotal": len(found)}
        if cursor is not None:
            answer["cursor"] = str(cursor)
        return json_answer(200, answer)

    def lemmy(api: str) -> Route:
        def answer(call: FakeCall) -> Answer:
            instance = call.prefix.removeprefix("/lemmy/")
            kind = data.lemmy_instances.get(instance, "0.19")
            if kind == "private":
                return json_answer(400, {"error": "instance_is_private"})
            if kind == "rate-limited":
                return json_answer(400, {"error": "rate_limit_error"})
            if (kind == "1.0") != (api == "v4"):
                return json_answer(404, {"error": "not_found"})
            wanted = call.query.get("q" if api == "v3" else "search_term")
            found = [s for s in data.of("lemmy") if s.url == wanted and _holds(s, instance)]
            views = [_lemmy_view(s, instance, api) for s in found]
            if api == "v3":
                return json_answer(200, {"type_": "Url", "comments": [], "posts": views,
                                         "communities": [], "users": []})  # fmt: skip
            return json_answer(200, {"resolve": None, "comments": [], "posts": views,
                                     "communities": [], "persons": [], "multi_communities": [],
                                     "prev_page": None, "next_page": None})  # fmt: skip

        return answer

    return {
        "/links/all": links_all,
        "/xrpc/blue.microcosm.links.getBacklinks": backlinks,
        "/xrpc/app.bsky.feed.getPosts": get_posts,
        "/xrpc/app.bsky.feed.getPostThread": thread,
        "/xrpc/com.atproto.server.createSession": session,
        "/xrpc/app.bsky.feed.searchPosts": search,
        "/api/v3/search": lemmy("v3"),
        "/api/v4/search": lemmy("v4"),
    }


def _page(found: list, call: FakeCall, name: str, default: int) -> tuple[list, int | None]:
    """One page of ``found`` by an offset cursor (hex for Constellation, decimal otherwise)."""
    raw = call.query.get(name) or "0"
    start = int(raw, 16) if call.path.startswith("/xrpc/blue.") else int(raw)
    limit = int(call.query.get("limit") or default)
    end = start + limit
    return found[start:end], end if end < len(found) else None


def _did(share: FakeShare) -> str:
    return share.item_id.removeprefix("at://").split("/")[0]


def _rkey(share: FakeShare) -> str:
    return share.item_id.rsplit("/", 1)[-1]


def _when(share: FakeShare) -> str:
    return share.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _post_view(share: FakeShare, data: FakeSignals) -> dict:
    """A postView as in ``bluesky-getPosts.json``: link facet and/or card after the text."""
    handle = data.host if share.by_shop else share.author
    link = share.get("link", "both")
    shown = share.url.split("://", 1)[-1]
    text = f"{share.title or 'Look'} {shown}"
    start = len(text.encode()) - len(shown.encode())
    record: dict = {"$type": "app.bsky.feed.post", "createdAt": _when(share), "langs": ["da"]}
    view: dict = {}
    if link in ("facet", "both"):
        feature = {"$type": "app.bsky.richtext.facet#link", "uri": share.url}
        index = {"byteStart": start, "byteEnd": len(text.encode())}
        record["facets"] = [{"index": index, "features": [feature]}]
    if link in ("card", "both"):
        card = {"uri": share.url, "title": share.title, "description": ""}
        record["embed"] = {"$type": "app.bsky.embed.external", "external": card}
        view = {"embed": {"$type": "app.bsky.embed.external#view", "external": card}}
    record["text"] = text
    author = {"did": _did(share), "handle": handle, "displayName": handle, "labels": []}
    return {
        "uri": share.item_id,
        "cid": "bafyrei" + "a" * 52,
        "author": {**author, "createdAt": "2024-01-01T00:00:00.000Z"},
        "record": record,
        **view,
        "bookmarkCount": 0,
        "replyCount": share.comments,
        "repostCount": share.reposts,
        "likeCount": share.points,
        "quoteCount": share.quotes,
        "indexedAt": _when(share),
        "labels": [],
    }


def _thread(share: FakeShare, data: FakeSignals) -> dict:
    """A thread as in ``bluesky-getPostThread.json``: others' replies, then the author's."""
    root = _post_view(share, data)

    def node(i: int, did: str, handle: str) -> dict:
        post = {
            "uri": f"at://{did}/app.bsky.feed.post/reply{i}",
            "author": {"did": did, "handle": handle, "labels": []},
            "record": {"$type": "app.bsky.feed.post", "text": "Svar", "createdAt": _when(share)},
            "replyCount": 0,
            "likeCount": 0,
        }
        return {"$type": "app.bsky.feed.defs#threadViewPost", "post": post, "replies": []}

    others = [
        node(i, f"did:plc:other{i}", f"other{i}.bsky.social")
        for i in range(share.replies_by_others)
    ]
    own = max(share.comments - share.replies_by_others, 0)
    mine = [node(100 + i, _did(share), root["author"]["handle"]) for i in range(own)]
    return {
        "$type": "app.bsky.feed.defs#threadViewPost",
        "post": root,
        "replies": others + mine,
        "threadContext": {},
    }


def _holds(share: FakeShare, instance: str) -> bool:
    return instance == share.get("instance") or instance in share.get("copies").split()


def _lemmy_view(share: FakeShare, instance: str, api: str) -> dict:
    """A PostView as in ``lemmy-search-url.json`` (v3) or ``lemmy-v4-search-url.json`` (v4)."""
    origin = share.get("instance")
    share_of = 1 if instance == origin else 2  # a federated copy sees part of the votes
    score, comments = share.points // share_of, share.comments // share_of
    published = share.created_at.strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    when = "published" if api == "v3" else "published_at"
    actor = "actor_id" if api == "v3" else "ap_id"
    post = {"id": 1, "name": share.title, "url": share.url, "removed": False, when: published,
            "deleted": False, "ap_id": share.item_id, "local": instance == origin}  # fmt: skip
    creator = {"id": 2, "name": share.author, actor: f"https://{origin}/u/{share.author}"}
    name = share.get("community", "test")
    community = {"id": 3, "name": name, "title": name, actor: f"https://{origin}/c/{name}"}
    view = {"post": post, "creator": creator, "community": community}
    if api == "v3":
        view["counts"] = {"post_id": 1, "comments": comments, "score": score}
    else:
        post.update(comments=comments, score=score)
    return view
