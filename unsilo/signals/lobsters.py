"""Lobsters (opt-in): every story submitted from the shop's domain, with score and comments.

Asked by domain, tokenless: ``/domains/<domain>.json`` lists the stories whose URL is on
the domain (lobste.rs files ``www.`` under the bare domain), 25 a page, newest first;
``/domains/<domain>/page/N.json`` pages on until a short page. A domain nobody submitted is
an HTTP 404, which here means "none", not an error. After ``MAX_PAGES`` pages the listing is
cut off and says so. Requests per domain: one per 25 stories (a shop usually needs one).
Other subdomains (``blog.<domain>``) are domains of their own there and are not asked.

Lobsters is a small community site that asks scrapers to wait a second between hits
(``config/initializers/rack_attack.rb``: 60 requests a minute per IP, HTTP 429 beyond;
``robots.txt``: ``Crawl-delay: 1``), hence opt-in and a slower pace than that.

Facts: ``created_at`` is US Central time with milliseconds and is stored in UTC;
``comment_count`` counts every comment (``replies_by_others`` stays unknown: the submitter's
own are included). ``user_is_author`` (the submitter wrote the linked page) is kept as a
note; ``by_shop`` compares the submitter with the shop's ``lobsters:<name>`` profile.

Sample: ``lobsters-domain.json``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from unsilo.signals.facts import by_shop, count
from unsilo.signals.source import (
    SignalContext,
    SignalRequest,
    SignalResponse,
    SignalStep,
    SignalTarget,
)
from unsilo.social.errors import MalformedResponse, load_json

SOURCE = "lobsters"
SECRETS: tuple[str, ...] = ()
TOKEN_HINT = None
DELAY = 2.0  # lobste.rs asks for 1 s between hits and throttles at 60 a minute: half that
PAGE_SIZE = 25  # StoriesPaginator::STORIES_PER_PAGE
MAX_PAGES = 8  # 200 stories: beyond that the listing is cut off and says so


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return [_page(ctx, check, 1)]


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return []  # the domain listing covers every page


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    if response.status == 404:
        return SignalStep()  # no story was ever submitted from this domain
    stories = load_json(response.body)
    if not isinstance(stories, list) or not all(isinstance(s, dict) for s in stories):
        raise MalformedResponse("Lobsters domain listing is not a JSON array of stories")
    request = response.request
    step = SignalStep()
    for story in stories:
        url, short_id = story.get("url"), story.get("short_id")
        if not short_id or not ctx.is_shop_url(url):
            continue
        author = story.get("submitter_user")
        step.signals.append(
            ctx.signal(
                SOURCE,
                request.check,
                url,
                item_id=str(short_id),
                permalink=story.get("comments_url") or story.get("short_id_url"),
                title=story.get("title"),
                author=author if isinstance(author, str) else None,
                points=count(story.get("score")),
                comments=count(story.get("comment_count")),
                first_seen=central_to_utc(story.get("created_at")),
                by_shop=by_shop(ctx, SOURCE, author),
                note="submitted by the page's author" if story.get("user_is_author") else None,
            )
        )
    page = int(request.data.get("page", 1))
    if len(stories) >= PAGE_SIZE and page < MAX_PAGES:
        step.next.append(_page(ctx, request.check, page + 1))
    elif len(stories) >= PAGE_SIZE:
        step.partial = f"listing cut off after {MAX_PAGES * PAGE_SIZE} stories"
    return step


def central_to_utc(value: object) -> str | None:
    """``2026-08-27T08:14:52.318-05:00`` → ``2026-08-27T13:14:52+00:00``; ``None`` if
    unreadable."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        return None  # a time without its offset could be off by five or six hours
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _page(ctx: SignalContext, check: SignalTarget, page: int) -> SignalRequest:
    base = f"{ctx.endpoints.lobsters}/domains/{quote(ctx.domain)}"
    url = f"{base}.json" if page == 1 else f"{base}/page/{page}.json"
    return SignalRequest(url, "listing", check, accept=(404,), data={"page": page})
