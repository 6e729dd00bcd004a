"""Facebook: reactions, comments and shares of a page, from the Graph API's URL node.

Needs an app access token (``UNSILO_FACEBOOK_TOKEN``), sent as ``Authorization: Bearer``
and never in the URL (URLs are logged and stored). Asked per URL, because the Graph has
no listing by domain: one request per page (``GET /v25.0/?id=<url>&fields=engagement``).
The Graph allows 10 GETs per URL per app per hour; a run asks each page once.

The numbers are totals over all of Facebook with no posts, dates or authors behind them,
so a row is ``kind="count"``: ``points`` = reactions, ``comments`` = comments plus
comments made through the comments plugin on the page, ``reposts`` = shares. A page with
all counts at zero is answered with no row. Facebook keys engagement by the URL it
resolved (it follows ``og:url``), so an answer for another page is not taken as this
page's.

Failures come as the Graph's error envelope (``error.code``); its statuses are in
``accept`` so it is read here: 104 (no token) and 190 (expired or invalid token) are
"needs token"; 4, 17, 32, 613 and the 80001–80014 business limits are "rate limited"; 10
and 200–299 (permissions) "refused" — all stop the source. 1 and 2 (temporary) are
"source unavailable" for this page only. An accepted error status without an envelope
(a proxy's or a block page) is "refused" (4xx) or "source unavailable" (5xx).

Samples: ``samples/facebook-engagement.json``, ``facebook-engagement-error-no-token.json``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from unsilo.languages import N_
from unsilo.signals.source import (
    SignalContext,
    SignalFailure,
    SignalRequest,
    SignalResponse,
    SignalStep,
    SignalTarget,
)
from unsilo.social.errors import MalformedResponse, load_json
from unsilo.urls import http_url_key, same_page

SOURCE = "facebook"
TOKEN = "UNSILO_FACEBOOK_TOKEN"
SECRETS: tuple[str, ...] = (TOKEN,)
TOKEN_HINT = N_(
    "message",
    "set {} to a Facebook app access token (app-id|app-secret) to count each page's "
    "Facebook reactions, comments and shares; Facebook answers nothing without one",
).format(TOKEN)
# Platform rate limit of an app token: 200 calls an hour times the app's daily users, and a
# token made only for auditing has next to none, so stay at the floor of 200 an hour.
DELAY = 18.0
GRAPH_VERSION = "v25.0"  # released 2026-02-18; v26.0 followed on 2026-07-29
ACCEPT = (400, 401, 403, 404, 429, 500, 503)
_TOKEN_CODES = {104: "no access token", 190: "access token expired or invalid"}
_RATE_CODES = {4, 17, 32, 613, *range(80001, 80015)}
_TEMPORARY_CODES = {1, 2}


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return []  # the Graph has no listing by domain


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    token = ctx.secrets.get(TOKEN, "")
    query = urlencode({"id": check.url, "fields": "engagement"})
    url = f"{ctx.endpoints.facebook_graph}/{GRAPH_VERSION}/?{query}"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return [SignalRequest(url, "engagement", check, headers=headers, accept=ACCEPT)]


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    body = load_json(response.body)
    if not isinstance(body, dict):
        raise MalformedResponse("Graph answer is not a JSON object")
    if isinstance(body.get("error"), dict):
        raise graph_failure(body["error"], ctx.secrets.get(TOKEN))
    if response.status >= 400:  # no envelope: a proxy, a block page, an outage
        status = "source unavailable" if response.status >= 500 else "refused"
        raise SignalFailure(status, f"HTTP {response.status} without a Graph error envelope")
    engagement = body.get("engagement")
    if not isinstance(engagement, dict):
        raise MalformedResponse("Graph answer has no engagement object")
    reactions = _count(engagement, "reaction_count")
    comments = _sum(_count(engagement, "comment_count"), _count(engagement, "comment_plugin_count"))
    shares = _count(engagement, "share_count")
    check = response.request.check
    url = body["id"] if isinstance(body.get("id"), str) else check.url
    if not same_page(url, check.target):
        return SignalStep(partial=f"Facebook answered for {url!r}, not this page"[:200])
    if not any(n for n in (reactions, comments, shares)):
        return SignalStep()  # answered: nobody engaged with it on Facebook
    signal = ctx.signal(
        SOURCE,
        check,
        url,
        item_id=f"facebook:{http_url_key(url) or url}",
        kind="count",
        points=reactions,
        comments=comments,
        reposts=shares,
    )
    return SignalStep(signals=[signal])


def graph_failure(error: dict[str, Any], token: str | None) -> SignalFailure:
    """The ``SignalFailure`` of a Graph error envelope, with its message scrubbed of the
    token (the Graph does not echo it, but a reason is stored and logged)."""
    code = error.get("code")
    message = str(error.get("message", ""))
    if token:
        message = message.replace(token, "…")
    said = f"Graph error {code}: {message}"[:200]
    if code in _TOKEN_CODES:
        reason = f"{_TOKEN_CODES[code]}: set {TOKEN} ({said})"
        return SignalFailure("needs token", reason, stop_source=True)
    if code in _RATE_CODES:
        return SignalFailure("rate limited", said, stop_source=True)
    if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
        return SignalFailure("refused", f"permission missing ({said})", stop_source=True)
    if code in _TEMPORARY_CODES:
        return SignalFailure("source unavailable", said)
    return SignalFailure("refused", said)


def _count(engagement: dict[str, Any], name: str) -> int | None:
    value = engagement.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MalformedResponse(f"engagement.{name} is not a count: {value!r}"[:120])
    return value


def _sum(*values: int | None) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None
