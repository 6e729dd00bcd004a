"""Hacker News: every story that links the shop, with its current points and comments.

Asked by domain, tokenless, in two steps:

1. **Listing** (Algolia's HN index): ``/api/v1/search_by_date?query=<domain>`` restricted to
   story URLs, newest first. Algolia stops at 1,000 hits per query, so instead of page
   numbers the next page asks for stories no newer than the oldest one read
   (``numericFilters=created_at_i<=…``; ``unsilo.signals.paging``). After ``MAX_PAGES``
   pages the listing is cut off and says so.
2. **Current counts** (HN's own Firebase API): one ``/v0/item/<id>.json`` per story kept,
   because Algolia's points lag behind (the samples: 87 there, 91 on HN). The story rides
   along as ``carry``: if this call fails the driver keeps it with Algolia's counts and a
   note. There is no batch call for items.

Requests per domain: one per ``HITS_PER_PAGE`` stories found, plus one per story.

Traps handled here: the index matches words, with the last one as a prefix, so the query
``nordlysgoods.example`` also finds ``nordlysgoods.example-fake.com`` and URLs that merely
contain both words; only stories whose URL is on the shop's domain are kept
(``ctx.is_shop_url``). A ``?utm_source=…`` on a shared URL is dropped by its ``url_key``.

``replies_by_others`` is HN's ``descendants`` (all comments): the submitter's own replies are
included, which only a walk of the whole comment tree could subtract. A deleted story is
left out; a flagged ("dead") one is kept with a note.

Samples: ``hn-algolia-search.json``, ``hn-algolia-search-url.json``, ``hn-firebase-item.json``.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from unsilo.signals.facts import by_shop, count, epoch_iso
from unsilo.signals.items import SignalItem
from unsilo.signals.paging import time_boundary
from unsilo.signals.source import (
    SignalContext,
    SignalRequest,
    SignalResponse,
    SignalStep,
    SignalTarget,
)
from unsilo.social.errors import MalformedResponse, load_json

SOURCE = "hackernews"
SECRETS: tuple[str, ...] = ()
TOKEN_HINT = None
# hn.algolia.com/api: 10,000 requests an hour per IP (one per 0.36 s); Firebase documents
# no limit. Both share this pace, a little slower than Algolia allows.
DELAY = 0.5
HITS_PER_PAGE = 200
MAX_PAGES = 10  # 2,000 stories: beyond that the listing is cut off and says so
FOLLOW_UP = "current points and comments"


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return [_listing(ctx, check, page=1, until=None, skip=())]


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return []  # the domain listing covers every page


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    if response.request.step == "item":
        return _item(response)
    return _stories(response, ctx)


def _stories(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    """One listing page: each shop story becomes a Firebase call carrying it."""
    found = load_json(response.body)
    hits = found.get("hits") if isinstance(found, dict) else None
    if not isinstance(hits, list) or not all(isinstance(hit, dict) for hit in hits):
        raise MalformedResponse("Algolia answer has no list of hits")
    request = response.request
    skip = set(request.data.get("skip") or ())
    step = SignalStep()
    for hit in hits:
        story_id = str(hit.get("objectID") or "")
        if not story_id or story_id in skip or not ctx.is_shop_url(hit.get("url")):
            continue
        story = _story(ctx, request.check, hit, story_id)
        step.next.append(
            SignalRequest(
                f"{ctx.endpoints.hackernews_items}/v0/item/{story_id}.json",
                "item",
                request.check,
                carry=(story,),
                follow_up=FOLLOW_UP,
            )
        )
    stamped = [(count(hit.get("created_at_i")), str(hit.get("objectID"))) for hit in hits]
    boundary = time_boundary(((t, i) for t, i in stamped if t is not None), skip)
    more = len(hits) >= HITS_PER_PAGE or (count(found.get("nbHits")) or 0) > len(hits)
    page = int(request.data.get("page", 1))
    if more and boundary:
        if page < MAX_PAGES:
            until, ids = boundary
            step.next.append(_listing(ctx, request.check, page=page + 1, until=until, skip=ids))
        else:
            step.partial = f"listing cut off after {MAX_PAGES * HITS_PER_PAGE:,} stories"
    return step


def _story(ctx: SignalContext, check: SignalTarget, hit: dict, story_id: str) -> SignalItem:
    """A story as Algolia knows it; ``_item`` brings its counts up to date."""
    author = hit.get("author")
    comments = count(hit.get("num_comments"))
    return ctx.signal(
        SOURCE,
        check,
        hit["url"],
        item_id=story_id,
        permalink=f"https://news.ycombinator.com/item?id={story_id}",
        title=hit.get("title"),
        author=author if isinstance(author, str) else None,
        points=count(hit.get("points")),
        comments=comments,
        replies_by_others=comments,
        first_seen=epoch_iso(hit.get("created_at_i")),
        by_shop=by_shop(ctx, SOURCE, author),
    )


def _item(response: SignalResponse) -> SignalStep:
    """The Firebase item of a carried story: its current score and comment count."""
    (story,) = response.request.carry
    item = load_json(response.body)
    if item is None:  # Firebase answers ``null`` for an id it does not know
        return SignalStep([replace(story, note=f"{FOLLOW_UP} unknown: no such HN item")])
    if not isinstance(item, dict):
        raise MalformedResponse("HN item is not a JSON object")
    if item.get("deleted"):
        return SignalStep()  # taken down: no longer a share anyone can see
    comments = count(item.get("descendants"))
    current = replace(
        story,
        points=_or(count(item.get("score")), story.points),
        comments=_or(comments, story.comments),
        replies_by_others=_or(comments, story.replies_by_others),
        note="flagged dead on HN: hidden unless showdead is on" if item.get("dead") else None,
    )
    return SignalStep([current])


def _listing(
    ctx: SignalContext, check: SignalTarget, *, page: int, until: int | None, skip: tuple
) -> SignalRequest:
    params = {
        "query": ctx.domain,
        "restrictSearchableAttributes": "url",
        "tags": "story",
        "typoTolerance": "false",
        "hitsPerPage": str(HITS_PER_PAGE),
    }
    if until is not None:
        params["numericFilters"] = f"created_at_i<={until}"
    url = f"{ctx.endpoints.hackernews_search}/api/v1/search_by_date?{urlencode(params)}"
    return SignalRequest(url, "listing", check, data={"page": page, "skip": skip})


def _or(value: int | None, default: int | None) -> int | None:
    return default if value is None else value
