"""Arctic Shift (opt-in): Reddit submissions linking the shop, from a third-party archive.

Arctic Shift (arctic-shift.photon-reddit.com) archives Reddit and answers without a login,
so it covers Reddit for shops without a Reddit token, and posts Reddit has since removed.
Asked by domain: ``/api/posts/search?url=<prefix>`` is a prefix match on the URL string as
submitted, so the shop's domain is four prefixes: ``https://<domain>``,
``https://www.<domain>`` and the ``http://`` pair, because older shares keep the scheme
the page had then (a shop that moved to https still has them). The prefixes end without a
slash so a share of the bare home page (``https://<domain>``) is found too; what else they
match (``https://<domain>.other.example``) is dropped in code. Rows are newest first,
100 a page (the API's maximum); the next page asks ``before`` the oldest ``created_utc``
read and skips the ids already read at that second (``unsilo.signals.paging``). After
``MAX_PAGES`` a prefix is cut off and says so. Requests per domain: four, plus one per
further 100 posts. Other subdomains (``blog.<domain>``) are not asked.

Facts: ``score`` and ``num_comments`` are as archived (``retrieved_on``, usually within days
of posting), not current: each row says so in ``note``. ``item_id`` is Reddit's fullname
(``t3_<id>``), the same as the ``reddit`` source's, so one post is one post across both.

The API documents no rate limit and promises no uptime ("still work in progress"): a
hobby service, hence opt-in and one call a second. An ``{"error": …}`` body is the
service's own refusal or timeout.

Sample: ``arcticshift-posts-search-url.json``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from unsilo.signals.facts import by_shop, count, epoch_iso
from unsilo.signals.paging import time_boundary
from unsilo.signals.source import (
    SignalContext,
    SignalFailure,
    SignalRequest,
    SignalResponse,
    SignalStep,
    SignalTarget,
)
from unsilo.social.errors import MalformedResponse, load_json

SOURCE = "arctic_shift"
SECRETS: tuple[str, ...] = ()
TOKEN_HINT = None
DELAY = 1.0  # no documented limit; a volunteer's service: one call a second
PAGE_SIZE = 100  # the API's maximum ``limit``
MAX_PAGES = 5  # per prefix: 500 posts, then the listing is cut off and says so
FIELDS = "author,created_utc,id,num_comments,retrieved_on,score,subreddit,title,url"


def prefixes(ctx: SignalContext) -> list[str]:
    """The URL prefixes that cover the shop's domain (both schemes, with and without www)."""
    return [
        f"{scheme}://{host}"
        for scheme in ("https", "http")
        for host in (ctx.domain, f"www.{ctx.domain}")
    ]


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return [_search(ctx, check, prefix, before=None, skip=(), page=1) for prefix in prefixes(ctx)]


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return []  # the domain prefixes cover every page


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    found = load_json(response.body)
    if isinstance(found, dict) and found.get("error"):
        reason = f"Arctic Shift answered: {str(found['error'])[:200]}"
        raise SignalFailure("source unavailable", reason)
    posts = found.get("data") if isinstance(found, dict) else None
    if not isinstance(posts, list) or not all(isinstance(p, dict) for p in posts):
        raise MalformedResponse("Arctic Shift answer has no data list")
    request = response.request
    skip = set(request.data.get("skip") or ())
    step = SignalStep()
    for post in posts:
        post_id, url = post.get("id"), post.get("url")
        if not post_id or str(post_id) in skip or not ctx.is_shop_url(url):
            continue
        step.signals.append(_signal(ctx, request.check, post, str(post_id)))
    stamped = [(count(post.get("created_utc")), str(post.get("id"))) for post in posts]
    boundary = time_boundary(((t, i) for t, i in stamped if t is not None), skip)
    page = int(request.data.get("page", 1))
    if len(posts) >= PAGE_SIZE and boundary:
        prefix = str(request.data["prefix"])
        if page < MAX_PAGES:
            before, ids = boundary
            step.next.append(
                _search(ctx, request.check, prefix, before=before, skip=ids, page=page + 1)
            )
        else:
            step.partial = f"{prefix} cut off after {MAX_PAGES * PAGE_SIZE} posts"
    return step


def _signal(ctx: SignalContext, check: SignalTarget, post: dict, post_id: str):
    author = post.get("author")
    subreddit = post.get("subreddit")
    community = f"r/{subreddit}" if isinstance(subreddit, str) and subreddit else None
    archived = epoch_iso(post.get("retrieved_on"))
    return ctx.signal(
        SOURCE,
        check,
        post["url"],
        item_id=f"t3_{post_id}",
        permalink=(
            f"https://www.reddit.com/{community}/comments/{post_id}/"
            if community
            else f"https://www.reddit.com/comments/{post_id}/"
        ),
        title=post.get("title"),
        author=author if isinstance(author, str) else None,
        community=community,
        points=count(post.get("score")),
        comments=count(post.get("num_comments")),
        first_seen=epoch_iso(post.get("created_utc")),
        by_shop=by_shop(ctx, "reddit", f"u/{author}") if isinstance(author, str) else False,
        note=f"score and comments as archived on {archived[:10]}" if archived else None,
    )


def _search(
    ctx: SignalContext,
    check: SignalTarget,
    prefix: str,
    *,
    before: int | None,
    skip: tuple[str, ...],
    page: int,
) -> SignalRequest:
    params = {"url": prefix, "limit": str(PAGE_SIZE), "sort": "desc", "fields": FIELDS}
    if before is not None:
        params["before"] = str(before)
    url = f"{ctx.endpoints.arctic_shift}/api/posts/search?{urlencode(params)}"
    data = {"prefix": prefix, "page": page, "skip": skip}
    return SignalRequest(url, "search", check, data=data)
