"""Fake routes of Reddit (OAuth search, ``/api/info``, the token endpoint) and Arctic Shift.

Shapes follow ``reddit-search-site.json`` / ``reddit-info.json`` (a Listing of ``t3``),
``reddit-oauth-token.json`` and ``arcticshift-posts-search-url.json``. Behaviour follows
the real services where the adapters depend on it: Reddit answers only a bearer token
(``FAKE_TOKEN``, or one fetched with ``FAKE_CLIENT``) and 401s anything else, pages with
``after``, sends ``x-ratelimit-*`` headers, and matches ``/api/info?url=`` ignoring case
and ``www.`` but not the scheme or query (``LinksByUrlAndSubreddit.make_canonical_url``);
``created`` is ``created_utc`` + 28,800 s as in the real capture. Arctic Shift serves the
same Reddit shares (plus ``arctic_shift``-only ones: posts Reddit has since lost), as a
string prefix match on ``url``, sorted by ``created_utc``, with ``before``/``after``.
"""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

from unsilo.signals.fakes.data import FakeShare, FakeSignals
from unsilo.signals.fakes.server import Answer, FakeCall, Route, json_answer

FAKE_TOKEN = "fake-reddit-token"
FAKE_CLIENT = ("fake-client-id", "fake-client-secret")
RATE_HEADERS = {
    "x-ratelimit-remaining": "99.0",
    "x-ratelimit-used": "1",
    "x-ratelimit-reset": "420",
}


def routes(data: FakeSignals) -> dict[str, Route]:
    reddit = data.of("reddit")
    archived = sorted(reddit + data.of("arctic_shift"), key=lambda s: s.created_at, reverse=True)
    return {
        "/search": lambda call: _authorized(call, lambda: _search(call, reddit)),
        "/api/info": lambda call: _authorized(call, lambda: _info(call, reddit)),
        "/api/v1/access_token": _access_token,
        "/api/posts/search": lambda call: _arctic(call, archived),
    }


# --- Reddit -------------------------------------------------------------------------------


def _authorized(call: FakeCall, answer) -> Answer:
    if call.headers.get("authorization", "").lower() != f"bearer {FAKE_TOKEN}":
        return json_answer(401, {"message": "Unauthorized", "error": 401}, RATE_HEADERS)
    return answer()


def _access_token(call: FakeCall) -> Answer:
    """``client_credentials`` with HTTP Basic, as ``reddit-oauth-token.json`` answers."""
    expected = base64.b64encode(":".join(FAKE_CLIENT).encode()).decode()
    if call.headers.get("authorization") != f"Basic {expected}":
        return json_answer(401, {"message": "Unauthorized", "error": 401})
    form = parse_qs(call.body.decode())
    if form.get("grant_type") != ["client_credentials"]:
        return json_answer(200, {"error": "unsupported_grant_type"})
    body = {"access_token": FAKE_TOKEN, "token_type": "bearer", "expires_in": 86400, "scope": "*"}
    return json_answer(200, body)


def _search(call: FakeCall, shares: list[FakeShare]) -> Answer:
    """``q=site:<domain>``: submissions on the domain or its subdomains, newest first."""
    query = call.query.get("q", "")
    domain = query.removeprefix("site:").lower() if query.startswith("site:") else None
    found = [s for s in shares if domain and _on_domain(s.url, domain)]
    return _listing(call, found)


def _info(call: FakeCall, shares: list[FakeShare]) -> Answer:
    asked = _canonical(call.query.get("url", ""))
    return _listing(call, [s for s in shares if _canonical(s.url) == asked])


def _listing(call: FakeCall, found: list[FakeShare]) -> Answer:
    limit = max(1, min(int(call.query.get("limit") or 25), 100))
    names = [f"t3_{s.item_id}" for s in found]
    start = names.index(call.query["after"]) + 1 if call.query.get("after") in names else 0
    page = found[start : start + limit]
    more = start + limit < len(found)
    body = {
        "kind": "Listing",
        "data": {
            "after": f"t3_{page[-1].item_id}" if page and more else None,
            "dist": len(page),
            "modhash": "",
            "geo_filter": "",
            "children": [{"kind": "t3", "data": _t3(s)} for s in page],
            "before": None,
        },
    }
    return json_answer(200, body, RATE_HEADERS)


def _t3(share: FakeShare) -> dict:
    """The ``t3`` keys the samples hold that the adapter reads, and a few it must ignore."""
    community = share.get("community", "r/denmark")
    created = share.created_at.timestamp()
    slug = "_".join(share.title.lower().split())[:50] or "post"
    return {
        "id": share.item_id,
        "name": f"t3_{share.item_id}",
        "title": share.title,
        "url": share.url,
        "domain": (urlsplit(share.url).hostname or "").removeprefix("www."),
        "author": share.author,
        "subreddit": community.removeprefix("r/"),
        "subreddit_name_prefixed": community,
        "permalink": f"/{community}/comments/{share.item_id}/{slug}/",
        "score": share.points,
        "ups": share.points,
        "num_comments": share.comments,
        "created": created + 28_800,
        "created_utc": created,
        "is_self": False,
        "over_18": False,
        "removed_by_category": share.get("removed") or None,
        "num_crossposts": 0,
    }


def _on_domain(url: str, domain: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == domain or host.endswith(f".{domain}")


def _canonical(url: str) -> str:
    """Reddit's URL index key: lower case, ``www.`` gone, scheme and query kept."""
    parts = urlsplit(url.lower())
    host = (parts.hostname or "").removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{host}{parts.path}{query}"


# --- Arctic Shift -------------------------------------------------------------------------


def _arctic(call: FakeCall, shares: list[FakeShare]) -> Answer:
    prefix = call.query.get("url")
    if not prefix:
        return json_answer(400, {"error": "Missing search parameters"})
    found = [s for s in shares if s.url.startswith(prefix)]
    if "before" in call.query:
        found = [s for s in found if s.created_at.timestamp() < float(call.query["before"])]
    if "after" in call.query:
        found = [s for s in found if s.created_at.timestamp() > float(call.query["after"])]
    if call.query.get("sort") == "asc":
        found.reverse()
    limit = max(1, min(int(call.query.get("limit") or 25), 100))
    fields = [f for f in call.query.get("fields", "").split(",") if f]
    rows = [_archived(s, fields) for s in found[:limit]]
    return json_answer(200, {"data": rows})


def _archived(share: FakeShare, fields: list[str]) -> dict:
    created = int(share.created_at.timestamp())
    row = {
        "author": share.author,
        "created_utc": created,
        "id": share.item_id,
        "num_comments": share.comments,
        "retrieved_on": created + 36 * 3600,
        "score": share.points,
        "subreddit": share.get("community", "r/denmark").removeprefix("r/"),
        "title": share.title,
        "url": share.url,
    }
    return {k: v for k, v in row.items() if not fields or k in fields}
