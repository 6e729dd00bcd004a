"""Wikipedia: which articles cite a shop page, per configured language edition.

Asked by domain, one language after the other (Wikimedia asks for serial requests): the
Action API's ``list=exturlusage`` lists the pages linking anywhere on the shop's domain
(``euquery=*.<domain>`` matches the domain itself, ``www.`` and every other subdomain;
``LinkFilter::getQueryConditions``), over http and https (``euprotocol`` left empty, as
API:Exturlusage documents), 500 links a call, paged by ``continue.eucontinue`` up to
``MAX_PAGES`` calls per language. Requests per domain: one per language when the shop has
fewer than 500 links in it, more only for heavily cited shops.

Only articles count: a link from a talk page, a user page or a WikiProject Spam report is
no citation (it is often the opposite). ``eunamespace=0`` asks the wiki to leave the rest
out; Wikipedia runs in miser mode, where that filter applies after the limit, so a page of
results may come back short or empty with a ``continue`` (it is paged on), and ``ns`` is
checked again here.

One language failing does not lose the others: each language's answer (or failure) hands
on to the next language's request, which carries in ``data`` the languages still to ask,
how many answered and what went wrong; the last step says in ``partial`` which languages
are missing and why. Only when no language answered does ``parse`` raise
``SignalFailure``. A 429, a ``ratelimited`` error or a 403 (User-Agent policy) stops the
remaining languages too, because Wikimedia's 2026 global API limits are per client across
all wikis. Error statuses are in ``accept`` so the envelope (or its absence) is read here.

Sample: ``samples/wikipedia-exturlusage.json`` (formatversion 2: ``query.exturlusage[]``
with ``pageid``, ``ns``, ``title``, ``url``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from unsilo.settings import USER_AGENT
from unsilo.signals.source import (
    SignalContext,
    SignalFailure,
    SignalRequest,
    SignalResponse,
    SignalStep,
    SignalTarget,
)
from unsilo.social.errors import MalformedResponse, load_json, retry_after_seconds

SOURCE = "wikipedia"
SECRETS: tuple[str, ...] = ()
TOKEN_HINT = None
# Wikimedia's API etiquette: requests in series, not in parallel; the 2026 global limits
# (mediawiki.org "Wikimedia APIs/Rate limits") are per client across every wiki and are
# lowest for anonymous clients, so one call a second with an identifying User-Agent.
DELAY = 1.0
LANGUAGES: tuple[str, ...] = ("en", "da")  # default of the config's [signals.wikipedia]
PAGE_LINKS = 500  # eulimit: the most an anonymous client may ask for
MAX_PAGES = 10  # per language: 5,000 links, then the listing is cut off and says so
MAXLAG = 5  # seconds of replica lag above which the wiki asks bots to come back later
ARTICLES = 0  # the main namespace
ACCEPT = (400, 403, 404, 429, 500, 502, 503, 504)
# Failures after which asking the next language is pointless: the limit is global.
_STOPS_ALL = ("rate limited", "refused by policy")
_LANGUAGE = re.compile(r"[a-z][a-z0-9-]{1,20}")


def languages(ctx: SignalContext) -> tuple[str, ...]:
    """The language editions to ask: ``ctx.options["languages"]`` or ``LANGUAGES``."""
    chosen = ctx.options.get("languages")
    if chosen is None:
        return LANGUAGES
    codes = list(chosen) if isinstance(chosen, list | tuple) else []
    if not codes or not all(isinstance(c, str) and _LANGUAGE.fullmatch(c) for c in codes):
        raise ValueError(f"wikipedia languages must be codes like ['en', 'da'], got {chosen!r}")
    return tuple(dict.fromkeys(codes))


def domain_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    first, *rest = languages(ctx)
    notes: dict[str, Any] = {"rest": tuple(rest), "answered": 0, "missing": (), "failed": ()}
    return [_listing(ctx, check, first, notes, page=1, cont=None)]


def url_requests(ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
    return []  # the domain listing covers every page


def parse(response: SignalResponse, ctx: SignalContext) -> SignalStep:
    request = response.request
    language, page = str(request.data["language"]), int(request.data.get("page", 1))
    notes = dict(request.data)
    try:
        links, cont = _read(response)
    except _LanguageFailed as failure:
        return _after_failure(ctx, request, notes, failure)
    step = SignalStep(signals=_citations(ctx, request.check, language, links))
    if page == 1:
        notes["answered"] = int(notes["answered"]) + 1
    if cont and page < MAX_PAGES:
        step.next.append(_listing(ctx, request.check, language, notes, page=page + 1, cont=cont))
        return step
    if cont:
        cut = f"{language}: listing cut off after {MAX_PAGES * PAGE_LINKS:,} links"
        notes["missing"] = (*notes["missing"], cut)
    return _next_language(ctx, request.check, notes, step)


class _LanguageFailed(Exception):
    """One language's answer was a failure: ``status`` from CHECK_STATUSES (or
    "refused by policy", which also stops the other languages)."""

    def __init__(self, status: str, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.retry_after = status, reason, retry_after


def _read(response: SignalResponse) -> tuple[list[Mapping[str, Any]], dict[str, str] | None]:
    """The links of one answer and its ``continue`` parameters; ``_LanguageFailed``
    otherwise."""
    status, headers = response.status, response.headers
    if status == 429:
        wait = retry_after_seconds(headers)
        raise _LanguageFailed("rate limited", "HTTP 429 (Wikimedia API rate limit)", wait)
    if status == 403:
        raise _LanguageFailed("refused by policy", "HTTP 403 (User-Agent policy or a block)")
    if status == 404:
        raise _LanguageFailed("refused", "no such Wikipedia (HTTP 404): check the code")
    if status >= 500:
        raise _LanguageFailed("source unavailable", f"HTTP {status}")
    try:
        body = load_json(response.body)
    except MalformedResponse as exc:
        raise _LanguageFailed("malformed response", str(exc)) from exc
    if not isinstance(body, dict):
        raise _LanguageFailed("malformed response", "answer is not a JSON object")
    if "error" in body:
        raise _api_error(body["error"], headers)
    if status >= 400:
        raise _LanguageFailed("refused", f"HTTP {status} without an API error")
    query = body.get("query", {})
    links = query.get("exturlusage", []) if isinstance(query, dict) else None
    if not isinstance(links, list) or not ("query" in body or "batchcomplete" in body):
        raise _LanguageFailed("malformed response", "no query.exturlusage list in the answer")
    cont = body.get("continue")
    if cont is not None and not (isinstance(cont, dict) and "eucontinue" in cont):
        raise _LanguageFailed("malformed response", f"unreadable continue: {cont!r}"[:160])
    more = {str(k): str(v) for k, v in cont.items()} if cont else None
    return [x for x in links if isinstance(x, dict)], more


def _api_error(error: object, headers: Mapping[str, str]) -> _LanguageFailed:
    """The Action API's ``{"error": {"code", "info"}}`` envelope (sent with HTTP 200)."""
    if not isinstance(error, dict):
        return _LanguageFailed("malformed response", "error envelope without code")
    code, info = str(error.get("code", "?")), str(error.get("info", ""))[:160]
    if code == "maxlag":  # replicas lag: the wiki says when to come back
        wait = retry_after_seconds(headers)
        return _LanguageFailed("source unavailable", f"replication lag (maxlag): {info}", wait)
    if code == "ratelimited":
        return _LanguageFailed("rate limited", f"API error ratelimited: {info}")
    return _LanguageFailed("refused", f"API error {code}: {info}")


def _citations(
    ctx: SignalContext, check: SignalTarget, language: str, links: list[Mapping[str, Any]]
):
    """One citation per (article, shop URL); other namespaces and other sites dropped."""
    found, seen = [], set()
    for link in links:
        url, title = link.get("url"), link.get("title")
        if link.get("ns") != ARTICLES or not isinstance(url, str) or not isinstance(title, str):
            continue
        url = f"https:{url}" if url.startswith("//") else url  # protocol-relative links
        if not ctx.is_shop_url(url):
            continue
        signal = ctx.signal(
            SOURCE,
            check,
            url,
            item_id=f"{language}:{link.get('pageid')}",
            kind="citation",
            permalink=article_url(language, title),
            title=title,
            community=language,
        )
        if (signal.item_id, signal.url_key) not in seen:
            seen.add((signal.item_id, signal.url_key))
            found.append(signal)
    return found


def article_url(language: str, title: str) -> str:
    """Where a reader finds the article (always the real Wikipedia).

    >>> article_url("da", "Dansk keramik")
    'https://da.wikipedia.org/wiki/Dansk_keramik'
    """
    return f"https://{language}.wikipedia.org/wiki/{quote(title.replace(' ', '_'), safe=':/(),')}"


def _after_failure(
    ctx: SignalContext, request: SignalRequest, notes: dict[str, Any], failure: _LanguageFailed
) -> SignalStep:
    language, page = str(request.data["language"]), int(request.data.get("page", 1))
    where = f"{language}: {failure.reason}"
    if page > 1:  # earlier pages of this language were read: it counts as answered
        where = f"{language}: listing cut off after page {page - 1}: {failure.reason}"
    notes["missing"] = (*notes["missing"], where)
    status = "refused" if failure.status == "refused by policy" else failure.status
    notes["failed"] = (*notes["failed"], status)
    notes["retry_after"] = failure.retry_after or notes.get("retry_after")
    if failure.status in _STOPS_ALL:
        if notes["rest"]:
            notes["missing"] = (*notes["missing"], f"{', '.join(notes['rest'])}: not asked")
            notes["rest"] = ()
        if not notes["answered"]:
            raise SignalFailure(
                status, _joined(notes), stop_source=True, retry_after=failure.retry_after
            )
    return _next_language(ctx, request.check, notes, SignalStep())


def _next_language(
    ctx: SignalContext, check: SignalTarget, notes: dict[str, Any], step: SignalStep
) -> SignalStep:
    """Ask the next language, or end the check: partial, or failed when none answered."""
    if notes["rest"]:
        following, *rest = notes["rest"]
        notes["rest"] = tuple(rest)
        step.next.append(_listing(ctx, check, following, notes, page=1, cont=None))
        return step
    if not notes["answered"]:
        statuses = set(notes["failed"])
        status = statuses.pop() if len(statuses) == 1 else "source unavailable"
        if status == "malformed response":
            raise MalformedResponse(_joined(notes))
        raise SignalFailure(status, _joined(notes), retry_after=notes.get("retry_after"))
    step.partial = _joined(notes) if notes["missing"] else None
    return step


def _joined(notes: Mapping[str, Any]) -> str:
    return "; ".join(notes["missing"])


def _listing(
    ctx: SignalContext,
    check: SignalTarget,
    language: str,
    notes: Mapping[str, Any],
    *,
    page: int,
    cont: Mapping[str, str] | None,
) -> SignalRequest:
    params = {
        "action": "query",
        "list": "exturlusage",
        "euquery": f"*.{ctx.domain}",
        "euprop": "ids|title|url",
        "eunamespace": str(ARTICLES),
        "eulimit": str(PAGE_LINKS),
        "format": "json",
        "formatversion": "2",
        "maxlag": str(MAXLAG),
    }
    params.update(cont or {})  # eucontinue and the generic continue, as answered
    url = f"{ctx.endpoints.wikipedia_base(language)}/w/api.php?{urlencode(params)}"
    data = {**notes, "language": language, "page": page}
    return SignalRequest(
        url, "exturlusage", check, headers={"User-Agent": USER_AGENT}, accept=ACCEPT, data=data
    )
