"""Reddit (needs a login): submissions linking the shop's pages, with score and comments.

Since 2026 Reddit answers only OAuth clients. Two ways to log in, either is enough
(``SECRET_SETS``):

- ``UNSILO_REDDIT_TOKEN``: a ready bearer token (what the README names). Reddit's tokens
  last 24 hours, so a monthly cron line must fetch a fresh one first;
- ``UNSILO_REDDIT_CLIENT_ID`` + ``UNSILO_REDDIT_CLIENT_SECRET`` (a "script" app): the source
  fetches an app-only token itself (``POST /api/v1/access_token``,
  ``grant_type=client_credentials``, one request a run) and hands it on in headers only.

Asked by domain first: ``/search?q=site:<domain>&type=link&sort=new``, 100 a page,
``after`` paging, cut off after ``MAX_PAGES`` (Reddit's listings end near 1,000 anyway).
Reddit's search is a best-effort index that misses submissions, so with a ready token the
most valuable pages are also asked one by one (``/api/info?url=<page>``: one request per
page, within the driver's budget), which reads Reddit's URL index directly. That index
ignores case and ``www.`` but not the scheme or a query string, so an ``http://`` or
``?utm_…`` share of the page is found only by the site search. With client credentials the
per-page calls are skipped (a token fetched in one answer cannot reach calls planned
before it); ``options = {"per_url": false}`` skips them with a token too.

Only submissions whose URL is on the shop's domain are kept, and per page only those of
that page (``unsilo.urls.same_page``). ``first_seen`` is ``created_utc``: ``created`` is off by
+28,800 s. ``comments`` is ``num_comments``; ``replies_by_others`` stays unknown (the
submitter's own comments are in the count). A post removed by moderators keeps a note.

Failures: 401 is an expired or invalid token ("needs token"), 403 a refused app, 429 or
``x-ratelimit-remaining: 0`` a rate limit that ``x-ratelimit-reset`` says when ends.
The User-Agent follows the Data API wiki (``python:unsilo:<version> (by /u/<name>)``;
``options = {"username": "<the app's Reddit account>"}`` fills in the name).

Samples: ``reddit-search-site.json``, ``reddit-info.json``, ``reddit-oauth-token.json``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from urllib.parse import urlencode

from unsilo import __version__
from unsilo.languages import N_
from unsilo.signals.facts import by_shop, count, epoch_iso
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
from unsilo.urls import same_page

SOURCE = "reddit"
TOKEN = "UNSILO_REDDIT_TOKEN"
CLIENT_ID = "UNSILO_REDDIT_CLIENT_ID"
CLIENT_SECRET = "UNSILO_REDDIT_CLIENT_SECRET"
SECRETS: tuple[str, ...] = (TOKEN, CLIENT_ID, CLIENT_SECRET)
SECRET_SETS: tuple[tuple[str, ...], ...] = ((TOKEN,), (CLIENT_ID, CLIENT_SECRET))
TOKEN_HINT = N_(
    "message",
    "{} (a bearer token) or {} and {} (a script app) would add the Reddit submissions "
    "linking the shop's pages, with their score and comments",
).format(TOKEN, CLIENT_ID, CLIENT_SECRET)
DELAY = 0.7  # OAuth clients: 100 queries a minute, averaged over 10 minutes (2023 terms)
PAGE_SIZE = 100
MAX_PAGES = 10
PER_URL_DEFAULT = True
ANSWERS_ITSELF = (401, 403, 429)  # statuses parse turns into a precise failure


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    if ctx.secrets.get(TOKEN):
        return [_search(ctx, check, _headers(ctx, ctx.secrets[TOKEN]), after=None, page=1)]
    if ctx.secrets.get(CLIENT_ID) and ctx.secrets.get(CLIENT_SECRET):
        return [_token_request(ctx, check)]
    return []


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    token = ctx.secrets.get(TOKEN)
    if not token or not ctx.options.get("per_url", PER_URL_DEFAULT):
        return []
    params = {"url": check.url, "limit": "100", "raw_json": "1"}
    url = f"{ctx.endpoints.reddit_oauth}/api/info?{urlencode(params)}"
    return [SignalRequest(url, "info", check, headers=_headers(ctx, token), accept=ANSWERS_ITSELF)]


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    _raise_for_refusal(response, ctx)
    if response.request.step == "token":
        return _token(response, ctx)
    posts, after = _listing(load_json(response.body))
    request = response.request
    step = SignalStep()
    for post in posts:
        signal = _signal(ctx, request.check, post)
        if signal is None:
            continue
        if request.step == "info" and not same_page(signal.url_key, request.check.target):
            continue
        step.signals.append(signal)
    if request.step != "search" or not after:
        return step
    page = int(request.data.get("page", 1))
    waiting = _exhausted_for(response.headers)
    if waiting is not None:
        step.partial = f"listing stopped at page {page}: rate limit used up for {waiting:.0f} s"
    elif page < MAX_PAGES:
        more = _search(ctx, request.check, request.headers, after=str(after), page=page + 1)
        step.next.append(more)
    else:
        step.partial = f"listing cut off after {MAX_PAGES * PAGE_SIZE:,} submissions"
    return step


def _raise_for_refusal(response: SignalResponse, ctx: SignalContext) -> None:
    status, token_call = response.status, response.request.step == "token"
    if status == 401 or (token_call and status in (400, 403)):
        reason = f"Reddit answered {status}: {_login(ctx, token_call)} is expired or invalid"
        raise SignalFailure("needs token", reason, stop_source=True)
    if status == 403:
        reason = "Reddit answered 403: the app is not allowed this call (API access approval?)"
        raise SignalFailure("refused", reason, stop_source=True)
    if status == 429:
        wait = _reset_seconds(response.headers)
        hint = f"; resets in {wait:.0f} s" if wait is not None else ""
        raise SignalFailure(
            "rate limited", f"Reddit answered 429{hint}", stop_source=True, retry_after=wait
        )


def _login(ctx: SignalContext, token_call: bool) -> str:
    """Which login a 401 refused, by name (never by value)."""
    if token_call:
        return f"{CLIENT_ID} or {CLIENT_SECRET}"
    return TOKEN if TOKEN in ctx.secrets else f"the token fetched with {CLIENT_ID}"


def _token(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    """The app-only token: the domain search goes on with it (in headers, never stored)."""
    found = load_json(response.body)
    token = found.get("access_token") if isinstance(found, dict) else None
    if not isinstance(token, str) or not token:
        error = found.get("error") if isinstance(found, dict) else None
        if error:
            reason = f"Reddit refused the client credentials ({error})"
            raise SignalFailure("needs token", reason, stop_source=True)
        raise MalformedResponse("Reddit token answer has no access_token")
    search = _search(ctx, response.request.check, _headers(ctx, token), after=None, page=1)
    return SignalStep(next=[search])


def _listing(found: object) -> tuple[list[dict], object]:
    """The ``t3`` posts of a Listing and its ``after`` cursor."""
    data = found.get("data") if isinstance(found, dict) else None
    children = data.get("children") if isinstance(data, dict) else None
    if not isinstance(children, list):
        raise MalformedResponse("Reddit answer is not a Listing")
    posts = [
        child["data"]
        for child in children
        if isinstance(child, dict)
        and child.get("kind") == "t3"
        and isinstance(child.get("data"), dict)
    ]
    return posts, data.get("after")


def _signal(ctx: SignalContext, check: SignalTarget, post: dict) -> SignalItem | None:
    url, name = post.get("url"), post.get("name") or post.get("id")
    if not name or not ctx.is_shop_url(url):
        return None
    author = post.get("author")
    permalink = post.get("permalink")
    removed = post.get("removed_by_category")
    return ctx.signal(
        SOURCE,
        check,
        url,
        item_id=str(name),
        permalink=f"https://www.reddit.com{permalink}" if isinstance(permalink, str) else None,
        title=post.get("title"),
        author=author if isinstance(author, str) else None,
        community=post.get("subreddit_name_prefixed"),
        points=count(post.get("score")),
        comments=count(post.get("num_comments")),
        first_seen=epoch_iso(post.get("created_utc")),
        by_shop=by_shop(ctx, SOURCE, f"u/{author}") if isinstance(author, str) else False,
        note=f"removed on Reddit ({removed})" if removed else None,
    )


def _search(
    ctx: SignalContext,
    check: SignalTarget,
    headers: Mapping[str, str],
    *,
    after: str | None,
    page: int,
) -> SignalRequest:
    params = {
        "q": f"site:{ctx.domain}",
        "type": "link",
        "sort": "new",
        "limit": str(PAGE_SIZE),
        "include_over_18": "on",
        "raw_json": "1",
    }
    if after:
        params["after"] = after
    url = f"{ctx.endpoints.reddit_oauth}/search?{urlencode(params)}"
    return SignalRequest(
        url, "search", check, headers=headers, accept=ANSWERS_ITSELF, data={"page": page}
    )


def _token_request(ctx: SignalContext, check: SignalTarget) -> SignalRequest:
    pair = f"{ctx.secrets[CLIENT_ID]}:{ctx.secrets[CLIENT_SECRET]}".encode()
    headers = {
        "Authorization": "Basic " + base64.b64encode(pair).decode("ascii"),
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": user_agent(ctx),
    }
    return SignalRequest(
        f"{ctx.endpoints.reddit_www}/api/v1/access_token",
        "token",
        check,
        method="POST",
        headers=headers,
        body=b"grant_type=client_credentials",
        accept=(400, *ANSWERS_ITSELF),
    )


def _headers(ctx: SignalContext, token: str) -> dict[str, str]:
    return {"Authorization": f"bearer {token}", "User-Agent": user_agent(ctx)}


def user_agent(ctx: SignalContext) -> str:
    """``python:unsilo:0.1.0 (by /u/name)``, the Data API wiki's format."""
    name = ctx.options.get("username")
    contact = (
        f"by /u/{name}" if isinstance(name, str) and name else "+https://github.com/unsilo/unsilo"
    )
    return f"python:unsilo:{__version__} ({contact})"


def _reset_seconds(headers: Mapping[str, str]) -> float | None:
    """``x-ratelimit-reset``: seconds until Reddit's window resets; ``None`` if unsaid."""
    return _number(headers.get("x-ratelimit-reset"))


def _exhausted_for(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait when ``x-ratelimit-remaining`` is used up, else ``None``."""
    remaining = _number(headers.get("x-ratelimit-remaining"))
    if remaining is None or remaining >= 1:
        return None
    return _reset_seconds(headers) or 0.0


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
