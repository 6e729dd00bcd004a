"""Bluesky without a login: posts linking a page, found through the Constellation backlink index.

Constellation (constellation.microcosm.blue, a third-party index of the whole AT Protocol
firehose, not run by Bluesky: best-effort) answers "which records link this exact string",
so this source asks **per URL** (it cannot list by domain). Per page:

1. ``/links/all?target=<spelling>`` for each spelling (below): which link paths of
   ``app.bsky.feed.post`` hold records. Most pages have none, so this one call per spelling
   replaces asking both paths every time;
2. ``getBacklinks`` only for the paths that have records: link facets
   (``.facets[].features[app.bsky.richtext.facet#link].uri``) first, then link cards
   (``.embed.external.uri``), chained so a post with both (the usual case: the official
   client makes a card from the link it just faceted) is read once (``data["seen"]``);
   100 records a page, at most ``MAX_PAGES`` pages a path;
3. ``getPosts`` (≤25 URIs) to hydrate likes, reposts, replies and quotes, then
   ``getPostThread`` for posts with replies (``unsilo.signals.bluesky_posts``).

Spellings: matching is exact, so ``https://shop.example/p`` does not find
``https://www.shop.example/p``. The official client saves a typed ``shop.example/p`` as
``https://shop.example/p`` and a pasted URL as pasted, so the page as crawled and its
``www.``-toggled twin are asked; for the home page also both without the trailing slash
(typed domains have none). Tracking-parameter and other odd spellings are missed.

Requests per page: 2 (4 for the home page) when nobody linked it; a linked page adds one
``getBacklinks`` per path with records, one ``getPosts`` per 25 posts and one
``getPostThread`` per post with replies.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from unsilo.signals.bluesky_posts import (
    at_uri,
    hydrate_requests,
    parse_posts,
    parse_thread,
    permalink,
)
from unsilo.signals.source import (
    SignalContext,
    SignalRequest,
    SignalResponse,
    SignalStep,
    SignalTarget,
)
from unsilo.social.errors import MalformedResponse, load_json
from unsilo.social.text import as_int, as_str
from unsilo.urls import www_toggled

SOURCE = "bluesky"
SECRETS: tuple[str, ...] = ()
TOKEN_HINT = None
# Constellation publishes no limit and asks to be used gently (readme: "please be nice");
# the Bluesky AppView allows 3,000 requests per 5 minutes per IP (bsky-docs rate-limits.md).
DELAY = 1.0
COLLECTION = "app.bsky.feed.post"
LINK_PATHS = (
    ".facets[].features[app.bsky.richtext.facet#link].uri",
    ".embed.external.uri",
)
PAGE_SIZE = 100  # getBacklinks' largest page
MAX_PAGES = 5  # per path: 500 posts linking one page is plenty for a signal
JSON = {"Accept": "application/json"}  # Constellation serves HTML to anything else


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return []  # Constellation matches exact link strings: it cannot list a domain


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return [_paths_request(ctx, check, subject) for subject in spellings(check.url)]


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    request = response.request
    if request.step == "paths":
        return _parse_paths(response.body, request, ctx)
    if request.step == "backlinks":
        return _parse_backlinks(response.body, request, ctx)
    if request.step == "posts":
        return parse_posts(response.body, request, ctx)
    if request.step == "thread":
        return parse_thread(response.body, request)
    raise ValueError(f"unknown bluesky step {request.step!r}")


def spellings(url: str) -> list[str]:
    """The strings asked for one page (see the module docstring).

    >>> spellings("https://shop.example/")
    ['https://shop.example/', 'https://www.shop.example/', 'https://shop.example', \
'https://www.shop.example']
    """
    page = url.split("#", 1)[0]
    found = [page, www_toggled(page)]
    if urlsplit(page).path in ("", "/") and not urlsplit(page).query:
        found += [s.rstrip("/") for s in found]
    return list(dict.fromkeys(found))


def _paths_request(ctx: SignalContext, check: SignalTarget, subject: str) -> SignalRequest:
    url = f"{ctx.endpoints.constellation}/links/all?{urlencode({'target': subject})}"
    return SignalRequest(url, "paths", check, headers=JSON, data={"subject": subject})


def _parse_paths(body: bytes, request: SignalRequest, ctx: SignalContext) -> SignalStep:
    data = load_json(body)
    links = data.get("links") if isinstance(data, dict) else None
    if not isinstance(links, dict):
        raise MalformedResponse("Constellation /links/all answer without links")
    posts = links.get(COLLECTION) if isinstance(links.get(COLLECTION), dict) else {}
    paths = [p for p in LINK_PATHS if _records(posts.get(p)) > 0]
    step = SignalStep()
    if paths:
        subject = str(request.data["subject"])
        step.next.append(_backlinks(ctx, request.check, subject, tuple(paths), (), None, 1))
    return step


def _records(counts: Any) -> int:
    return (as_int(counts.get("records")) or 0) if isinstance(counts, dict) else 0


def _backlinks(
    ctx: SignalContext,
    check: SignalTarget,
    subject: str,
    paths: tuple[str, ...],
    seen: tuple[str, ...],
    cursor: str | None,
    page: int,
) -> SignalRequest:
    """``getBacklinks`` of ``paths[0]``; the other paths follow when it is read to the end."""
    params = {
        "subject": subject,
        "source": f"{COLLECTION}:{paths[0].removeprefix('.')}",
        "limit": str(PAGE_SIZE),
    }
    if cursor:
        params["cursor"] = cursor
    base = f"{ctx.endpoints.constellation}/xrpc/blue.microcosm.links.getBacklinks"
    url = f"{base}?{urlencode(params)}"
    data = {"subject": subject, "paths": paths, "seen": seen, "page": page}
    return SignalRequest(url, "backlinks", check, headers=JSON, data=data)


def _parse_backlinks(body: bytes, request: SignalRequest, ctx: SignalContext) -> SignalStep:
    data = load_json(body)
    records = data.get("records") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise MalformedResponse("Constellation getBacklinks answer without records")
    subject = str(request.data["subject"])
    paths = tuple(request.data["paths"])  # type: ignore[arg-type]
    seen = tuple(request.data["seen"])  # type: ignore[arg-type]
    page = int(request.data["page"])  # type: ignore[call-overload]
    check = request.check
    stubs = []
    for record in records:
        uri = _record_uri(record)
        if uri and uri not in seen:
            seen += (uri,)
            did = uri.removeprefix("at://").split("/", 1)[0]
            link = permalink(ctx, did, uri)
            stubs.append(
                ctx.signal(SOURCE, check, subject, uri, kind="share", author=did, permalink=link)
            )
    step = SignalStep(next=hydrate_requests(ctx, check, stubs))
    cursor = as_str(data.get("cursor"))
    if cursor and page < MAX_PAGES:
        step.next.append(_backlinks(ctx, check, subject, paths, seen, cursor, page + 1))
    else:
        if cursor:
            step.partial = f"more than {MAX_PAGES * PAGE_SIZE} posts link {subject}: cut off"
        if len(paths) > 1:
            step.next.append(_backlinks(ctx, check, subject, paths[1:], seen, None, 1))
    return step


def _record_uri(record: Any) -> str | None:
    if not isinstance(record, dict) or record.get("collection") != COLLECTION:
        return None
    did, rkey = as_str(record.get("did")), as_str(record.get("rkey"))
    return at_uri(did, rkey) if did and rkey else None
