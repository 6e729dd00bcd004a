"""Pinterest: how many times a page was saved (pinned), from the share-count widget.

Best effort: ``widgets.pinterest.com/v1/urls/count.json?url=<url>`` is undocumented. It
is what Pinterest's own "Save" button counter called and what share-counter backends
(heiseonline/shariff-backend-php) still read; its behaviour in 2024–2026 is unverified, so
every answer is checked for shape and an odd one is "malformed response", never a zero.

What the count means: the number of Pins saved with this exact URL as their link, over
all time (no dates, no authors, no boards), so a row is ``kind="count"`` with
``points`` = saves. Zero is a real answer ("none found at Pinterest") and produces no row.

Asked per URL, because nothing lists a domain's pins. One request per page: Pinterest
counts per exact URL string, and asking every spelling (http/https × www/bare × slash)
would cost up to eight calls a page for a source of unverified value. The page's URL as
crawled is the spelling a visitor's browser shows after redirects, which is what the
Save button and browser extensions send; the other spellings are not asked (a known gap).

Sample: ``samples/pinterest-count.jsonp`` (``receiveCount({"url": …, "count": 12})``).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from unsilo.signals.source import (
    SignalContext,
    SignalRequest,
    SignalResponse,
    SignalStep,
    SignalTarget,
)
from unsilo.social.errors import MalformedResponse, load_json
from unsilo.urls import http_url_key, same_page

SOURCE = "pinterest"
SECRETS: tuple[str, ...] = ()
TOKEN_HINT = None
DELAY = 1.0  # undocumented endpoint without a published limit: one call a second
# receiveCount({...}); some callers see a /**/ prefix or a trailing semicolon
_JSONP = re.compile(r"^\s*(?:/\*\*/)?\s*[A-Za-z_$][\w$.]*\s*\((.*)\)\s*;?\s*$", re.DOTALL)


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return []  # nothing lists the pins of a domain without the API


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    url = f"{ctx.endpoints.pinterest_widgets}/v1/urls/count.json?{urlencode({'url': check.url})}"
    return [SignalRequest(url, "count", check)]


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    answer = unwrap_jsonp(response.body)
    if not isinstance(answer, dict) or "count" not in answer:
        raise MalformedResponse("Pinterest count answer has no count")
    count = answer["count"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise MalformedResponse(f"Pinterest count is not a count: {count!r}"[:120])
    check = response.request.check
    url = answer.get("url") if isinstance(answer.get("url"), str) else check.url
    if not same_page(url, check.target):
        # it answered for another URL (a normalisation we do not know): not this page's count
        return SignalStep(partial=f"Pinterest answered for {url!r}, not this page"[:200])
    if count == 0:
        return SignalStep()  # answered: none saved
    signal = ctx.signal(
        SOURCE,
        check,
        url,
        item_id=f"pinterest:{http_url_key(url) or url}",
        kind="count",
        points=count,
        note="saves of this exact URL (other spellings not asked)",
    )
    return SignalStep(signals=[signal])


def unwrap_jsonp(body: bytes | str) -> object:
    """The JSON inside ``receiveCount(…)``; plain JSON passes as it is.

    >>> unwrap_jsonp(b'receiveCount({"count": 3});')
    {'count': 3}
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    match = _JSONP.match(text)
    return load_json(match.group(1) if match else text)
