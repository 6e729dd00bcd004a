"""The Wayback Machine: when each shop page was first captured (it existed publicly then).

Asked by domain: one CDX query lists every captured URL of the shop with its earliest
capture (``collapse=urlkey`` keeps the first row per URL, and rows come sorted by URL key
then time), paged with ``showResumeKey``. A capture is proof of age, not a social signal:
its rows are ``kind="capture"`` and never place a page on the ladder.

Sample: ``samples/wayback-cdx-first-capture.json`` (header row, then rows of strings;
no capture is ``[]``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from unsilo.signals.source import (
    SignalContext,
    SignalRequest,
    SignalResponse,
    SignalStep,
    SignalTarget,
)
from unsilo.social.errors import MalformedResponse, load_json

SOURCE = "wayback"
SECRETS: tuple[str, ...] = ()
TOKEN_HINT = None
DELAY = 1.0  # the CDX server throttles bursts; one call a second is its documented courtesy
PAGE_ROWS = 5000  # rows per CDX page
MAX_PAGES = 20  # 100,000 URLs: beyond that the listing is cut off and says so


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return [_listing(ctx, check, resume_key=None, page=1)]


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return []  # the domain listing covers every page


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    rows = load_json(response.body)
    if not isinstance(rows, list):
        raise MalformedResponse("CDX answer is not a JSON array")
    step = SignalStep()
    if not rows:
        return step
    header, body = rows[0], rows[1:]
    resume_key = None
    if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:  # showResumeKey trailer
        resume_key, body = body[-1][0], body[:-2]
    try:
        at = {name: header.index(name) for name in ("timestamp", "original")}
    except (ValueError, AttributeError) as exc:
        raise MalformedResponse(f"CDX header row lacks timestamp/original: {header!r}") from exc
    check = response.request.check
    for row in body:
        url = row[at["original"]]
        if not ctx.is_shop_url(url):
            continue
        first = _timestamp(row[at["timestamp"]])
        step.signals.append(
            ctx.signal(
                SOURCE,
                check,
                url,
                item_id=f"{row[at['timestamp']]}/{url}",
                kind="capture",
                permalink=f"https://web.archive.org/web/{row[at['timestamp']]}/{url}",
                first_seen=first,
            )
        )
    page = int(response.request.data.get("page", 1))
    if resume_key and page < MAX_PAGES:
        step.next.append(_listing(ctx, check, resume_key=resume_key, page=page + 1))
    elif resume_key:
        step.partial = f"listing cut off after {MAX_PAGES * PAGE_ROWS:,} captured URLs"
    return step


def _listing(
    ctx: SignalContext, check: SignalTarget, *, resume_key: str | None, page: int
) -> SignalRequest:
    params = {
        "url": ctx.domain,
        "matchType": "domain",
        "output": "json",
        "fl": "timestamp,original,statuscode",
        "filter": "statuscode:200",
        "collapse": "urlkey",
        "limit": str(PAGE_ROWS),
        "showResumeKey": "true",
    }
    if resume_key:
        params["resumeKey"] = resume_key
    url = f"{ctx.endpoints.wayback}/cdx/search/cdx?{urlencode(params)}"
    return SignalRequest(url, "listing", check, data={"page": page})


def _timestamp(value: str) -> str | None:
    """``20250314093517`` → ``2025-03-14T09:35:17+00:00``; ``None`` when unreadable."""
    try:
        return datetime.strptime(value[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC).isoformat()
    except ValueError:
        return None
