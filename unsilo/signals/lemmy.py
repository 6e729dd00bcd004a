"""Lemmy: posts linking a page, searched by URL on a few large instances.

Lemmy's search cannot list a domain (0.19 compares ``post.url`` as an exact string;
1.0's ``post_url_only`` matches a URL), so this source asks **per URL**, on each instance of
``ctx.options["instances"]`` (default ``DEFAULT_INSTANCES``: the largest general instances
and the Danish one). Federation copies a post to every instance with subscribers, so the
same post comes back from several instances under one ``ap_id``: it is one share.

One page is one chain of calls, an instance at a time, carrying the posts found so far
(``carry``) so copies merge by ``ap_id`` (the origin instance's counts win, as it sees every
vote and comment; else the highest) and a failed call keeps what earlier instances said:

- ``/api/v3/search?q=<url>&type_=Url`` first (0.19, most instances in 2026);
- on a 404 or an unreadable-request 400 (1.0 has no ``type_=Url``), the same instance is
  asked ``/api/v4/search?search_term=<url>&type_=posts&post_url_only=true``;
- an instance that answers ``rate_limit_error`` (HTTP 400 on 0.19, 429 on 1.0), is private
  (``instance_is_private``) or is down is skipped for this page and named in the check's
  ``partial`` reason; only when no instance answered is the page unknown. A source is pure
  and remembers nothing between pages, so a rate-limited instance is asked again on the
  next page, ``DELAY`` × the number of instances later.

Requests per page: one per 0.19 instance, two per 1.0 instance (5 with the defaults when all
run 0.19; 100 pages cost 500). The request cap counts per instance (``endpoint_count``), so
the default URL budget (200 pages, 1,000 calls) fits in it. Only the page's URL as crawled
is asked: a post that spelled it differently (``www.``, ``http://``, a trailing slash) is
missed on 0.19.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

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
from unsilo.urls import same_page

SOURCE = "lemmy"
SECRETS: tuple[str, ...] = ()
TOKEN_HINT = None
# 0.19's default limit for search is 60 calls per 600 s per IP (migrations/
# 2022-10-06-183632_move_blocklist_to_db): calls rotate over the instances, so with the five
# defaults each instance sees one call every 12.5 s.
DELAY = 2.5
DEFAULT_INSTANCES = ("lemmy.world", "lemmy.ml", "sh.itjust.works", "programming.dev", "feddit.dk")
PAGE_SIZE = 50
# statuses read here rather than failing the page: an instance's refusal or outage is that
# instance's, and the other instances' answers still count
ACCEPT = (400, 404, 429, 500, 502, 503, 504)


def instances(ctx: SignalContext) -> tuple[str, ...]:
    """The instances asked: ``ctx.options["instances"]`` (host names) or the defaults."""
    chosen = ctx.options.get("instances", DEFAULT_INSTANCES)
    if isinstance(chosen, str) or not isinstance(chosen, list | tuple):
        raise ValueError(f"lemmy instances must be a list of host names, got {chosen!r}")
    names = tuple(str(name).strip().lower().strip("/") for name in chosen if str(name).strip())
    return tuple(name.removeprefix("https://") for name in names)


def endpoint_count(ctx: SignalContext) -> int:
    """Each page is asked at every instance: the request cap counts per instance
    (``registry.request_cap``)."""
    return len(instances(ctx))


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return []  # no Lemmy search lists a domain


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    chain = instances(ctx)
    if not chain:
        return []
    return [_search(ctx, check, chain, "v3", answered=0, skipped=(), carry=())]


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    request = response.request
    instance = str(request.data["instances"][0])  # type: ignore[index]
    api = str(request.data["api"])
    status = response.status
    data = load_json(response.body) if status == 200 else _error_body(response.body)
    error = as_str(data.get("error")) if isinstance(data, dict) else None
    if api == "v3" and (status == 404 or (status == 400 and error not in _KNOWN_ERRORS)):
        return SignalStep(next=[_again(ctx, request, "v4")])  # a 1.0 instance: ask v4
    if status != 200:
        why = f"{instance} {_failure(status, error)}"
        return _skip(ctx, request, why, _status_of(status, error))
    found = _posts(data, api)
    merged = _merge(
        request.carry, [_signal(ctx, request.check, instance, view, api) for view in found]
    )
    skipped = tuple(request.data["skipped"])  # type: ignore[arg-type]
    if len(found) >= PAGE_SIZE:
        skipped += (f"{instance} had more than {PAGE_SIZE} posts: the newest kept",)
    answered = int(request.data["answered"]) + 1  # type: ignore[call-overload]
    return _next(ctx, request, merged, answered, skipped)


_KNOWN_ERRORS = ("rate_limit_error", "instance_is_private")


def _failure(status: int, error: str | None) -> str:
    if error == "rate_limit_error" or status == 429:
        return "rate limited"
    if error == "instance_is_private":
        return "is private (needs a login)"
    if status >= 500:
        return f"unavailable (HTTP {status})"
    return f"refused (HTTP {status}{', ' + error if error else ''})"


def _status_of(status: int, error: str | None) -> str:
    """The check status when no instance answered, from the last refusal."""
    if error == "rate_limit_error" or status == 429:
        return "rate limited"
    return "source unavailable" if status >= 500 else "refused"


def _error_body(body: bytes) -> Any:
    """An error answer's JSON envelope; a proxy's HTML error page reads as no envelope."""
    try:
        return load_json(body)
    except MalformedResponse:
        return None


def _skip(ctx: SignalContext, request: SignalRequest, why: str, status: str) -> SignalStep:
    skipped = (*request.data["skipped"], why)  # type: ignore[misc]
    answered = int(request.data["answered"])  # type: ignore[call-overload]
    step = _next(ctx, request, request.carry, answered, skipped)
    if not step.next and answered == 0:
        raise SignalFailure(status, "; ".join(skipped))
    return step


def _next(
    ctx: SignalContext,
    request: SignalRequest,
    merged: tuple[SignalItem, ...],
    answered: int,
    skipped: tuple[str, ...],
) -> SignalStep:
    rest = tuple(request.data["instances"][1:])  # type: ignore[index]
    if rest:
        follow = _search(ctx, request.check, rest, "v3", answered, skipped, merged)
        return SignalStep(next=[follow])
    return SignalStep(signals=list(merged), partial="; ".join(skipped) or None)


def _again(ctx: SignalContext, request: SignalRequest, api: str) -> SignalRequest:
    data = request.data
    return _search(
        ctx,
        request.check,
        tuple(data["instances"]),  # type: ignore[arg-type]
        api,
        int(data["answered"]),  # type: ignore[call-overload]
        tuple(data["skipped"]),  # type: ignore[arg-type]
        request.carry,
    )


def _search(
    ctx: SignalContext,
    check: SignalTarget,
    chain: tuple[str, ...],
    api: str,
    answered: int,
    skipped: tuple[str, ...],
    carry: tuple[SignalItem, ...],
) -> SignalRequest:
    page = check.url.split("#", 1)[0]
    if api == "v3":
        params = {"q": page, "type_": "Url", "listing_type": "All", "sort": "New"}
    else:
        params = {"search_term": page, "type_": "posts", "post_url_only": "true"}
    params["limit"] = str(PAGE_SIZE)
    url = f"{ctx.endpoints.lemmy_base(chain[0])}/api/{api}/search?{urlencode(params)}"
    data = {"instances": chain, "api": api, "answered": answered, "skipped": skipped}
    left = ", ".join(chain)
    return SignalRequest(
        url, "search", check, accept=ACCEPT, carry=carry, follow_up=f"posts on {left}", data=data
    )


def _posts(data: Any, api: str) -> list[dict[str, Any]]:
    posts = data.get("posts") if isinstance(data, dict) else None
    if not isinstance(posts, list):
        raise MalformedResponse(f"Lemmy {api} search answer without posts")
    return [v for v in posts if isinstance(v, dict) and isinstance(v.get("post"), dict)]


def _signal(
    ctx: SignalContext, check: SignalTarget, instance: str, view: dict[str, Any], api: str
) -> SignalItem | None:
    """One post view (v3: counts in ``counts``; v4: on ``post``), if it links the page."""
    post = view["post"]
    url, ap_id = as_str(post.get("url")), as_str(post.get("ap_id"))
    if not (url and ap_id and same_page(url, check.target)):
        return None
    if post.get("removed") is True or post.get("deleted") is True:
        return None
    counts = view.get("counts") if api == "v3" and isinstance(view.get("counts"), dict) else post
    creator = _actor(view.get("creator"), api)
    community = _actor(view.get("community"), api)
    return ctx.signal(
        SOURCE,
        check,
        url,
        ap_id,
        kind="share",
        permalink=ap_id,
        title=as_str(post.get("name")),
        author=creator,
        community=community,
        points=_score(counts.get("score")),
        comments=as_int(counts.get("comments")),
        first_seen=as_str(post.get("published" if api == "v3" else "published_at")),
        by_shop=bool(creator) and f"lemmy:{creator}" in ctx.own_handles,
        note=None if _host(ap_id) == instance else f"counts as seen from {instance}",
    )


def _actor(actor: Any, api: str) -> str | None:
    """``name@instance`` of a person or community, from its ``actor_id`` (v4: ``ap_id``)."""
    if not isinstance(actor, dict):
        return None
    name = as_str(actor.get("name"))
    host = _host(as_str(actor.get("actor_id" if api == "v3" else "ap_id")))
    return f"{name}@{host}" if name and host else name


def _score(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _host(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def _merge(
    carried: tuple[SignalItem, ...], found: list[SignalItem | None]
) -> tuple[SignalItem, ...]:
    """Copies of one post (one ``ap_id``) become one: the origin's copy, else the highest."""
    merged = {s.item_id: s for s in carried}
    for signal in filter(None, found):
        known = merged.get(signal.item_id)
        if known is None or _rank(signal) > _rank(known):
            merged[signal.item_id] = signal
    return tuple(merged.values())


def _rank(signal: SignalItem) -> tuple[bool, int, int]:
    """The origin's copy first (the only one without a "counts as seen from" note)."""
    return signal.note is None, signal.points or 0, signal.comments or 0
