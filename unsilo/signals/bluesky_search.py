"""Bluesky search with a login: every post that links the shop's domain or names it.

``app.bsky.feed.searchPosts`` has answered 403 to anonymous callers since 2025-01-21
(bluesky-social/atproto#3423), so this source logs in with an app password
(``UNSILO_BLUESKY_HANDLE``, ``UNSILO_BLUESKY_APP_PASSWORD``): one
``com.atproto.server.createSession`` per run (the login is limited to 30 per 5 minutes and
300 a day per account), whose ``accessJwt`` travels only in the ``Authorization`` header of
the search calls that follow. The session token is never stored, logged or put in a URL.

Asked by domain, two listings of ``limit=100`` pages, newest first, up to ``MAX_PAGES`` each:

- shares: ``q=<domain>&domain=<domain>``: posts whose link facets or cards point at the
  domain; one ``share`` per shop page a post links;
- mentions: ``q=<domain>``: posts naming the domain in text (or @-mentioning the shop's
  domain handle); posts that link the shop are left to the shares listing, the rest are a
  ``mention`` of the shop's home page.

The search service "may" normalise ``www.`` in ``domain=`` (lexicon); a shop whose links all
carry ``www.`` may be under-counted. Posts with replies get one public ``getPostThread``
each for ``replies_by_others`` (``unsilo.signals.bluesky_posts``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from unsilo.languages import N_
from unsilo.signals.bluesky_posts import (
    parse_thread,
    post_links,
    posts_of,
    thread_follow_ups,
    with_post,
)
from unsilo.signals.items import SignalItem
from unsilo.signals.source import (
    SignalContext,
    SignalFailure,
    SignalRequest,
    SignalResponse,
    SignalStep,
    SignalTarget,
)
from unsilo.social.errors import MalformedResponse, load_json
from unsilo.social.text import as_int, as_str
from unsilo.urls import loose_url_key

SOURCE = "bluesky_search"
SECRETS: tuple[str, ...] = ("UNSILO_BLUESKY_HANDLE", "UNSILO_BLUESKY_APP_PASSWORD")
TOKEN_HINT = N_(
    "message",
    "set {} and {} (an app password) to find every Bluesky post that links or names the "
    "shop, not only the pages asked one by one",
).format(*SECRETS)
DELAY = 1.0  # PDS and AppView: 3,000 requests per 5 minutes per IP (bsky-docs rate-limits.md)
PAGE_SIZE = 100  # searchPosts' largest page
MAX_PAGES = 10  # per listing: 1,000 posts
LISTINGS = ("shares", "mentions")
TOKEN_ERRORS = ("ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing")


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    handle = ctx.secrets.get(SECRETS[0])
    password = ctx.secrets.get(SECRETS[1])
    if not (handle and password):
        return []  # the driver reports "needs token" with TOKEN_HINT
    body = json.dumps({"identifier": handle, "password": password}).encode()
    url = f"{ctx.endpoints.bluesky_auth}/xrpc/com.atproto.server.createSession"
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    return [SignalRequest(url, "session", check, "POST", headers, body, accept=(400, 401))]


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return []  # the domain listings cover every page


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    request = response.request
    if request.step == "session":
        return _parse_session(response, ctx)
    if request.step == "search":
        return _parse_search(response, ctx)
    if request.step == "thread":
        return parse_thread(response.body, request)
    raise ValueError(f"unknown bluesky_search step {request.step!r}")


def _parse_session(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    data = load_json(response.body)
    if response.status != 200:
        raise SignalFailure(
            "needs token",
            f"Bluesky refused the login of {SECRETS[0]} ({_error_name(data)}): "
            f"check {SECRETS[1]} is a current app password",
            stop_source=True,
        )
    token = as_str(data.get("accessJwt")) if isinstance(data, dict) else None
    if token is None:
        raise MalformedResponse("createSession answer without accessJwt")
    auth = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    check = response.request.check
    return SignalStep(next=[_search(ctx, check, auth, name, None, 1) for name in LISTINGS])


def _search(
    ctx: SignalContext,
    check: SignalTarget,
    auth: Any,
    listing: str,
    cursor: str | None,
    page: int,
) -> SignalRequest:
    params = {"q": ctx.domain, "sort": "latest", "limit": str(PAGE_SIZE)}
    if listing == "shares":
        params["domain"] = ctx.domain
    if cursor:
        params["cursor"] = cursor
    url = f"{ctx.endpoints.bluesky_auth}/xrpc/app.bsky.feed.searchPosts?{urlencode(params)}"
    data = {"listing": listing, "page": page}
    return SignalRequest(url, "search", check, headers=auth, accept=(400, 401, 403), data=data)


def _parse_search(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    data = load_json(response.body)
    if response.status in (401, 403) or _error_name(data) in TOKEN_ERRORS:
        raise SignalFailure(
            "needs token",
            f"Bluesky search refused the session ({_error_name(data)}): log in again",
            stop_source=True,
        )
    if response.status == 400:
        raise SignalFailure("refused", f"Bluesky search refused the query ({_error_name(data)})")
    request = response.request
    listing = str(request.data["listing"])
    signals: list[SignalItem] = []
    for post in posts_of(data):
        signals += _post_signals(ctx, request.check, post, mentions=listing == "mentions")
    step = thread_follow_ups(ctx, request.check, signals, SignalStep())
    cursor = as_str(data.get("cursor"))
    page = int(request.data["page"])  # type: ignore[call-overload]
    if cursor and page < MAX_PAGES:
        step.next.append(_search(ctx, request.check, request.headers, listing, cursor, page + 1))
    elif cursor:
        total = as_int(data.get("hitsTotal"))
        of = f" of about {total:,}" if total else ""
        step.partial = f"{listing} listing cut off after {MAX_PAGES * PAGE_SIZE:,}{of} posts"
    return step


def _post_signals(
    ctx: SignalContext, check: SignalTarget, post: dict[str, Any], *, mentions: bool
) -> list[SignalItem]:
    """One ``share`` per shop page the post links; in the mentions listing, one ``mention``
    of the home page when the post names the shop without linking it."""
    uri = str(post["uri"])
    shop_links = [u for u in post_links(post) if ctx.is_shop_url(u)]
    if mentions:
        if shop_links or not _names_shop(ctx, post):
            return []
        home = f"https://{ctx.domain}/"  # the crawled host is not known here
        found = [ctx.signal(SOURCE, check, home, uri, kind="mention")]
    else:
        distinct = {loose_url_key(u): u for u in reversed(shop_links)}  # first spelling wins
        found = [ctx.signal(SOURCE, check, u, uri, kind="share") for u in distinct.values()]
    return [with_post(ctx, s, post) for s in found]


def _names_shop(ctx: SignalContext, post: dict[str, Any]) -> bool:
    record = post.get("record") if isinstance(post.get("record"), dict) else {}
    text = (as_str(record.get("text")) or "").lower()
    return any(host in text for host in ctx.hosts)


def _error_name(data: Any) -> str:
    """The XRPC error name (``ExpiredToken``); never the message, which may quote input."""
    name = as_str(data.get("error")) if isinstance(data, dict) else None
    return name or "no error name"
