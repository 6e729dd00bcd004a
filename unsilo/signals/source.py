"""The one interface every signal source offers, and the plain data it trades with the spider.

As with the social adapters (``unsilo.social.adapter``), the ``signals`` spider is a generic
driver and a source module is pure: it says which requests to make and reads each answer
into ``SignalItem`` rows and further requests; tests feed it the saved samples. Fetching,
pacing, ``Retry-After``, request budgets, freshness and failure bookkeeping stay with the
driver.

A source asks **by domain first**: ``domain_requests`` lists everything it knows of the
shop's domain in a few calls (Algolia, Lobsters' domain feed, Wikipedia by host, the
Wayback CDX by prefix). Only a source that cannot do that implements ``url_requests``,
which the driver calls for the most valuable pages first, within a budget.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from unsilo.signals.endpoints import PUBLIC, SignalEndpoints
from unsilo.signals.items import SignalItem
from unsilo.urls import http_url_key, registrable_domain, url_domain


class SignalFailure(Exception):
    """Raised by ``parse`` when an answer means the question failed (Lemmy's HTTP 400
    ``rate_limit_error``, a private instance, Facebook's error envelope).

    ``status`` is one of ``unsilo.signals.items.CHECK_STATUSES``; ``stop_source`` asks the
    driver to put no more questions to this source in this run (rate limits, a refused
    token); ``retry_after`` is seconds to wait when the source said so.
    """

    def __init__(
        self,
        status: str,
        reason: str,
        *,
        stop_source: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.stop_source = stop_source
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class SignalTarget:
    """One question: the shop's domain (``scope="domain"``) or one page (``"url"``)."""

    scope: str
    target: str  # registrable domain, or the page's url_key
    url: str  # what to ask with: the domain, or the page's URL as crawled


@dataclass(frozen=True, slots=True)
class SignalRequest:
    """One HTTP call a source wants made; ``step`` tells its ``parse`` what the answer is.

    ``accept`` lists non-2xx statuses the source reads itself (an unknown domain's 404 that
    means "none", an error envelope that names the problem). ``carry`` holds signals already
    read whose details this call completes (current HN points, Bluesky reply counts): if the
    call fails the driver stores them as they are, noted, so a failed follow-up never loses
    the share itself. ``headers`` may hold a token: the driver never logs or stores them.
    """

    url: str
    step: str
    check: SignalTarget
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)  # may hold a token
    body: bytes | None = field(default=None, repr=False)  # may hold a login
    accept: tuple[int, ...] = ()
    carry: tuple[SignalItem, ...] = ()
    follow_up: str | None = None  # what is lost when it fails, e.g. "current points"
    data: Mapping[str, object] = field(default_factory=dict)  # the source's own notes


@dataclass(frozen=True, slots=True)
class SignalResponse:
    """An answer to ``request``: 2xx, or a status in ``request.accept``. Header names are
    lower case."""

    request: SignalRequest
    url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class SignalStep:
    """What one answer adds: signals, further calls, and (``partial``) what is missing."""

    signals: list[SignalItem] = field(default_factory=list)
    next: list[SignalRequest] = field(default_factory=list)
    partial: str | None = None  # answered, but not in full: why (listing cut off, …)


@dataclass(frozen=True, slots=True)
class SignalContext:
    """What a source may know of the shop and the run.

    ``hosts`` are the shop's host names (with and without ``www.``); ``secrets`` holds the
    environment values a source declared in ``SECRETS`` (empty when unset) and is never
    logged; ``own_handles`` are the shop's own profiles (``platform:handle``) so a post by
    the shop counts as the shop's own share.
    """

    domain: str
    hosts: tuple[str, ...]
    endpoints: SignalEndpoints = PUBLIC
    secrets: Mapping[str, str] = field(default_factory=dict)
    own_handles: frozenset[str] = frozenset()
    fetched_at: str | None = None
    options: Mapping[str, object] = field(default_factory=dict)  # per-source config

    @classmethod
    def for_site(cls, site: str, **kwargs: object) -> SignalContext:
        """The context of the shop at ``site`` (a URL or a host name)."""
        host = (url_domain(site) if "://" in site else None) or site.lower().strip("/")
        domain = registrable_domain(host)
        hosts = tuple(dict.fromkeys((domain, f"www.{domain}", host)))
        return cls(domain=domain, hosts=hosts, **kwargs)  # type: ignore[arg-type]

    def is_shop_url(self, url: str | None) -> bool:
        """Whether ``url`` is on the shop's registrable domain (any scheme, any subdomain)."""
        return bool(url) and url_domain(url) == self.domain

    def signal(self, source: str, check: SignalTarget, url: str, item_id: str, **facts: object):
        """A ``SignalItem`` for ``url`` with its key and this run's fetch time filled in."""
        return SignalItem(
            source=source,
            target=check.target,
            url=url,
            url_key=http_url_key(url) or url,
            item_id=item_id,
            fetched_at=self.fetched_at,
            **facts,  # type: ignore[arg-type]
        )


class SignalSource(Protocol):
    """The interface of a source module (``unsilo.signals.hackernews`` and its siblings).

    ``SOURCE`` is its name in config files and tables; ``SECRETS`` the environment
    variables it needs (all set, or the source reports "needs token" with ``TOKEN_HINT``,
    which also says what the token would add); ``DELAY`` seconds between its calls;
    ``per_url`` sources get ``url_requests`` calls within the budget. A source that asks
    each page at several endpoints may add ``endpoint_count(ctx)``: the request cap then
    counts per endpoint (``registry.request_cap``).
    """

    SOURCE: str
    SECRETS: tuple[str, ...]
    TOKEN_HINT: str | None
    DELAY: float

    def domain_requests(self, ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
        """The calls that list what the source knows of ``ctx.domain``; ``[]`` if it cannot."""
        ...

    def url_requests(self, ctx: SignalContext, check: SignalTarget) -> list[SignalRequest]:
        """The calls that ask about one page; ``[]`` when the domain listing covers pages."""
        ...

    def parse(self, response: SignalResponse, ctx: SignalContext) -> SignalStep:
        """What ``response`` says; raises ``SignalFailure`` for an answer that is a refusal,
        ``ValueError`` (or ``unsilo.social.errors.MalformedResponse``) for a bad body."""
        ...


Matcher = Callable[[str], bool]
