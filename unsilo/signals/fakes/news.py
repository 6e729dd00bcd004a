"""Fake routes of the news sources: Hacker News (Algolia search, Firebase items) and Lobsters.

Shapes follow the samples (``hn-algolia-search-url.json``, ``hn-firebase-item.json``,
``lobsters-domain.json``); behaviour follows the real services where it matters to the
adapters: Algolia matches words with the last one as a prefix (so ``…-keramikkrus`` also
finds ``…-keramikkrus-saet``) and honours ``hitsPerPage``, ``page``, ``numericFilters`` on
``created_at_i`` and its 1,000-hit cap; Firebase answers one item per path; Lobsters lists
25 stories a page, newest first, by domain without ``www.``, and 404s an unknown domain.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from unsilo.signals.fakes.data import FakeShare, FakeSignals
from unsilo.signals.fakes.server import Answer, FakeCall, Route, json_answer

ALGOLIA_CAP = 1000  # hits a query can page through (paginationLimitedTo)
LOBSTERS_PAGE = 25  # StoriesPaginator::STORIES_PER_PAGE
LOBSTERS_TIME = ZoneInfo("America/Chicago")  # lobste.rs config.time_zone


def routes(data: FakeSignals) -> dict[str, Route]:
    hn = data.of("hackernews")
    found: dict[str, Route] = {
        "/api/v1/search": lambda call: _algolia(call, hn),
        "/api/v1/search_by_date": lambda call: _algolia(call, hn),
    }
    for share in hn:
        found[f"/v0/item/{share.item_id}.json"] = _item_route(share)
    by_domain: dict[str, list[FakeShare]] = {}
    for share in data.of("lobsters"):
        by_domain.setdefault(_lobsters_domain(share.url), []).append(share)
    for domain, shares in by_domain.items():
        pages = max(1, math.ceil(len(shares) / LOBSTERS_PAGE))
        found[f"/domains/{domain}.json"] = _lobsters_route(shares, 1)
        for page in range(1, pages + 2):  # one past the last: an empty page, as Rails gives
            found[f"/domains/{domain}/page/{page}.json"] = _lobsters_route(shares, page)
    return found


# --- Hacker News ------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _url_matches(query: str, url: str) -> bool:
    """Algolia's ``prefixLast``: every word but the last exactly, the last as a prefix."""
    wanted, have = _words(query), _words(url)
    if not wanted:
        return True
    *whole, last = wanted
    return all(w in have for w in whole) and any(h.startswith(last) for h in have)


def _numeric_ok(share: FakeShare, filters: str) -> bool:
    """``created_at_i<=N`` / ``created_at_i<N`` / ``>`` / ``>=``, comma-separated (AND)."""
    stamp = int(share.created_at.timestamp())
    for part in filter(None, filters.split(",")):
        match = re.fullmatch(r"created_at_i(<=|>=|<|>)(\d+)", part.strip())
        if match is None:
            continue
        op, value = match.group(1), int(match.group(2))
        ok = {"<=": stamp <= value, ">=": stamp >= value, "<": stamp < value, ">": stamp > value}
        if not ok[op]:
            return False
    return True


def _algolia(call: FakeCall, shares: list[FakeShare]) -> Answer:
    if call.query.get("tags", "story") != "story":
        return json_answer(200, _envelope(call, [], 0, 0, 0, 20))
    query = call.query.get("query", "")
    matching = [
        s
        for s in shares
        if _url_matches(query, s.url) and _numeric_ok(s, call.query.get("numericFilters", ""))
    ]
    per_page = max(1, min(int(call.query.get("hitsPerPage") or 20), 1000))
    page = int(call.query.get("page") or 0)
    reachable = matching[:ALGOLIA_CAP]
    hits = reachable[page * per_page : (page + 1) * per_page]
    pages = math.ceil(len(reachable) / per_page)
    return json_answer(
        200, _envelope(call, [_hit(s) for s in hits], len(matching), pages, page, per_page)
    )


def _envelope(call: FakeCall, hits: list, total: int, pages: int, page: int, per: int) -> dict:
    return {
        "exhaustive": {"nbHits": True, "typo": True},
        "exhaustiveNbHits": True,
        "exhaustiveTypo": True,
        "hits": hits,
        "hitsPerPage": per,
        "nbHits": total,
        "nbPages": pages,
        "page": page,
        "params": "&".join(f"{k}={v}" for k, v in call.query.items()),
        "processingTimeMS": 1,
        "processingTimingsMS": {"_request": {"roundTrip": 1}, "total": 1},
        "query": call.query.get("query", ""),
        "serverTimeMS": 1,
    }


def _hit(share: FakeShare) -> dict:
    """An Algolia story hit; its ``points`` lag behind HN's (``extra`` ``algolia_points``)."""
    stamp = share.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "_highlightResult": {
            "author": {"matchLevel": "none", "matchedWords": [], "value": share.author},
            "title": {"matchLevel": "none", "matchedWords": [], "value": share.title},
            "url": {"matchLevel": "full", "matchedWords": [], "value": share.url},
        },
        "_tags": ["story", f"author_{share.author}", f"story_{share.item_id}"],
        "author": share.author,
        "children": _kids(share),
        "created_at": stamp,
        "created_at_i": int(share.created_at.timestamp()),
        "num_comments": share.comments,
        "objectID": share.item_id,
        "points": int(share.get("algolia_points", str(share.points))),
        "story_id": int(share.item_id),
        "title": share.title,
        "updated_at": stamp,
        "url": share.url,
    }


def _kids(share: FakeShare) -> list[int]:
    return [int(share.item_id) + 1 + i for i in range(share.replies_by_others)]


def _item_route(share: FakeShare) -> Route:
    def item(call: FakeCall) -> Answer:
        body: dict[str, object] = {
            "by": share.author,
            "descendants": share.comments,
            "id": int(share.item_id),
            "kids": _kids(share),
            "score": share.points,
            "time": int(share.created_at.timestamp()),
            "title": share.title,
            "type": "story",
            "url": share.url,
        }
        if share.get("state") in ("dead", "deleted"):
            body[share.get("state")] = True
        return json_answer(200, body)

    return item


# --- Lobsters -----------------------------------------------------------------------------


def _lobsters_domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _lobsters_route(shares: list[FakeShare], page: int) -> Route:
    def listing(call: FakeCall) -> Answer:
        start = (page - 1) * LOBSTERS_PAGE
        return json_answer(200, [_story(s) for s in shares[start : start + LOBSTERS_PAGE]])

    return listing


def _story(share: FakeShare) -> dict:
    """``Story#as_json`` as lobste.rs renders it (US Central time, milliseconds)."""
    local = share.created_at.astimezone(LOBSTERS_TIME)
    short_id = share.item_id
    slug = "_".join(_words(share.title))[:40] or "story"
    return {
        "short_id": short_id,
        "created_at": local.isoformat(timespec="milliseconds"),
        "title": share.title,
        "url": share.url,
        "score": share.points,
        "flags": 0,
        "comment_count": share.comments,
        "description": "",
        "description_plain": "",
        "submitter_user": share.author,
        "user_is_author": share.by_shop,
        "tags": [t for t in share.get("tags", "").split(",") if t],
        "short_id_url": f"https://lobste.rs/s/{short_id}",
        "comments_url": f"https://lobste.rs/s/{short_id}/{slug}",
    }
