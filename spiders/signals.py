"""The ``signals`` spider: asks public sources who shared or discussed the shop's pages.

A generic driver, like the social spider: it knows no source. Each source module
(``unsilo.signals.registry``) says which calls to make — a few for the whole domain first,
then, only if it cannot list by domain, one question per page for the most valuable pages
within a budget — and reads each answer into ``SignalItem`` rows. The driver paces each
source in its own download slot, waits out a short ``Retry-After`` once, stops a source
that refuses or rate-limits, and records every question (``SignalCheckItem``) and every
source (``SignalSourceItem``), so a page the run could not ask about reads "unknown", never
"not shared".

``unsilo audit`` and ``unsilo signals`` hand it the pages (most valuable first) and the
answers still fresh from earlier runs; by hand::

    scrapy crawl signals -a site=https://shop.example -a pages=@pages.json \\
        -s UNSILO_DB=audit.duckdb -s UNSILO_RUN_ID=<the shop crawl's run>
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from unsilo import clock
from unsilo.brands import brand
from unsilo.jobdir import move_jobdir
from unsilo.languages import N_
from unsilo.page_limit import drop_click_bounds
from unsilo.signals.endpoints import endpoints_from_argument
from unsilo.signals.items import SignalSourceItem
from unsilo.signals.ledger import SourceRun
from unsilo.signals.registry import (
    SOURCE_MODULES,
    chosen_sources,
    missing_secrets,
    request_cap,
    secrets_of,
    source_module,
)
from unsilo.signals.source import (
    SignalContext,
    SignalFailure,
    SignalRequest,
    SignalResponse,
    SignalStep,
    SignalTarget,
)
from unsilo.social.discovery import json_list, json_object
from unsilo.social.errors import (
    outcome_from_exception,
    plain_headers,
    rate_limited,
    retry_after_seconds,
    unexpected_status,
)
from unsilo.spider_arguments import CheckedArguments
from unsilo.urls import http_url_key

MAX_RETRY_WAIT = 60.0  # seconds: a longer Retry-After stops the source as 'rate limited'


class SignalsSpider(CheckedArguments, scrapy.Spider):
    """Collect signals for ``-a site`` (the shop) and ``-a pages`` (JSON list or @file).

    ``-a sources`` (JSON list) picks sources (default: ``registry.DEFAULT_SOURCES``);
    ``-a fresh`` (JSON object or @file) names answers still fresh from earlier runs:
    ``{"<source>": {"domain": true, "urls": ["<url_key>", …]}}``; ``-a own`` lists the
    shop's profiles as ``platform:handle``; ``-a options`` per-source settings
    (``{"lemmy": {"instances": […]}}``); ``-a endpoints`` points sources elsewhere (tests).
    """

    name = "signals"
    custom_settings = {
        "AUTOTHROTTLE_ENABLED": False,  # per-source slots below set the pace instead
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],  # 429: Retry-After, below
        "ROBOTSTXT_OBEY": False,  # documented JSON APIs, not pages: robots.txt is for crawlers
    }

    def __init__(
        self,
        site: str | None = None,
        pages: str | None = None,
        sources: str | None = None,
        fresh: str | None = None,
        own: str | None = None,
        options: str | None = None,
        endpoints: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.site = site or ""
        self.fetched_at = clock.now().isoformat(timespec="seconds")
        self.runs: dict[str, SourceRun] = {}
        self.contexts: dict[str, SignalContext] = {}

        def read() -> None:
            if not site:
                raise ValueError("signals spider needs -a site=<the shop's URL or host>")
            self.pages = json_list(pages, "pages")
            self.sources = chosen_sources(json_list(sources, "sources") if sources else None)
            self.fresh = json_object(fresh, "fresh")
            self.options = json_object(options, "options")
            self.base_ctx = SignalContext.for_site(
                site,
                endpoints=endpoints_from_argument(endpoints),
                own_handles=frozenset(json_list(own, "own")),
                fetched_at=self.fetched_at,
            )

        self.read_arguments(read)  # a bad one closes the spider in start(), in one line

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        move_jobdir(settings)  # a resumed run asks again; answers are keyed per run
        drop_click_bounds(settings)  # the shop crawl's depth bound is not an API walk's
        # one slot per source, paced by the source's own documented limit
        slots = {
            f"signals-{name}": {"concurrency": 1, "delay": float(source_module(name).DELAY)}
            for name in SOURCE_MODULES
        }
        settings.set("DOWNLOAD_SLOTS", {**slots, **settings.getdict("DOWNLOAD_SLOTS")}, "spider")

    # --- starting: domain first, then pages within the budget ---------------------------

    async def start(self) -> AsyncIterator[Any]:
        self.refuse_bad_arguments()
        budget = self.settings.getint("UNSILO_SIGNALS_URL_BUDGET")
        cap = self.settings.getint("UNSILO_SIGNALS_MAX_REQUESTS")
        for name in self.sources:
            for output in self._begin(name, budget, cap):
                yield output

    def _begin(self, name: str, budget: int, cap: int) -> Iterator[Any]:
        module = source_module(name)
        secrets = secrets_of(module)
        missing = missing_secrets(module, secrets)
        if missing:
            yield SignalSourceItem(
                source=name,
                status="needs token",
                reason=N_("message", "set {} to ask {}").format(" and ".join(missing), brand(name)),
                token_hint=module.TOKEN_HINT,
                fetched_at=self.fetched_at,
            )
            return
        ctx = SignalContext(
            domain=self.base_ctx.domain,
            hosts=self.base_ctx.hosts,
            endpoints=self.base_ctx.endpoints,
            secrets=secrets,
            own_handles=self.base_ctx.own_handles,
            fetched_at=self.fetched_at,
            options=dict(self.options.get(name) or {}),
        )
        self.contexts[name] = ctx
        run = SourceRun(name, module, max_requests=request_cap(module, ctx, cap))
        self.runs[name] = run
        fresh = self.fresh.get(name) or {}
        run.domain_fresh = bool(fresh.get("domain"))
        if not run.domain_fresh:
            domain = SignalTarget("domain", ctx.domain, ctx.domain)
            run.ask(domain, module.domain_requests(ctx, domain))
        fresh_urls = set(fresh.get("urls") or [])
        for page in self.pages:
            key = http_url_key(page)
            if key is None:
                continue
            check = SignalTarget("url", key, page)
            if key in fresh_urls:
                run.urls_fresh += 1
                run.urls_wanted += 1
                continue
            if run.urls_queued >= budget:
                run.urls_wanted += 1
                continue
            requests = module.url_requests(ctx, check)
            if not requests:
                break  # a domain-only source: its listing covers every page
            run.urls_wanted += 1
            run.ask(check, requests)  # counted as asked once its first call is sent
        yield from self._pump(run)

    # --- sending and answers -------------------------------------------------------------

    def _pump(self, run: SourceRun) -> Iterator[Any]:
        """The source's next calls, finished questions' rows, and its row once it is over."""
        for request in run.next_calls():
            yield self._request(run, request)
        yield from run.finished_checks(self.fetched_at)
        if run.over and not run.done:
            run.done = True
            summary = run.summary(self.fetched_at, None)
            self.logger.info(
                "signals: %s %s, %d found in %d requests%s",
                run.name,
                summary.status,
                summary.found,
                summary.requests,
                f" ({summary.reason})" if summary.reason else "",
            )
            yield summary

    def _request(self, run: SourceRun, request: SignalRequest) -> scrapy.Request:
        return scrapy.Request(
            request.url,
            method=request.method,
            headers=dict(request.headers) or None,
            body=request.body,
            callback=self.on_response,
            errback=self.on_error,
            dont_filter=True,
            meta={
                "download_slot": f"signals-{run.name}",
                "handle_httpstatus_all": True,
                "unsilo_source": run.name,
                "unsilo_request": request,
            },
        )

    async def on_response(self, response: Response) -> AsyncIterator[Any]:
        run = self.runs[response.meta["unsilo_source"]]
        request: SignalRequest = response.meta["unsilo_request"]
        status = response.status
        if status not in request.accept and (status == 429 or status >= 300):
            wait = retry_after_seconds(response.headers) if status == 429 else None
            if wait is not None and wait <= MAX_RETRY_WAIT and not response.meta.get("retried"):
                self.logger.info("%s rate limited; retrying once in %.0f s", run.name, wait)
                await asyncio.sleep(wait)  # Scrapy runs on the asyncio reactor
                yield response.request.replace(meta={**response.meta, "retried": True})
                return
            for output in self._fail(run, request, _http_failure(run, status, response.headers)):
                yield output
            return
        answer = SignalResponse(
            request, response.url, status, response.body, plain_headers(response.headers)
        )
        try:
            step: SignalStep = run.module.parse(answer, self.contexts[run.name])
        except SignalFailure as failure:
            for output in self._fail(run, request, failure):
                yield output
            return
        except Exception as exc:  # hostile bodies: one question's problem, not the run's
            outcome = outcome_from_exception(run.name, exc)
            failure = SignalFailure(outcome.api_status, outcome.reason)
            for output in self._fail(run, request, failure):
                yield output
            return
        for signal in step.signals:
            yield signal
        run.answered(request, len(step.signals), step.partial)
        run.follow(step.next)
        for output in self._pump(run):
            yield output

    def on_error(self, failure: Failure) -> Iterator[Any]:
        run = self.runs[failure.request.meta["unsilo_source"]]
        outcome = outcome_from_exception(run.name, failure.value)
        problem = SignalFailure(outcome.api_status, outcome.reason)
        yield from self._fail(run, failure.request.meta["unsilo_request"], problem)

    def _fail(
        self, run: SourceRun, request: SignalRequest, failure: SignalFailure
    ) -> Iterator[Any]:
        """A failed call: its carried shares are kept with a note; the rest is unknown."""
        for signal in request.carry:
            signal.note = f"{request.follow_up or 'details'} unknown: {failure.reason}"
            yield signal
        self.logger.warning("signals: %s: %s", brand(run.name), failure.reason)
        run.failed(request, failure, kept=len(request.carry))
        yield from self._pump(run)


def _http_failure(run: SourceRun, status: int, headers: Any) -> SignalFailure:
    """What a non-2xx answer means for a source; a refusal or rate limit stops it."""
    name = brand(run.name)
    if status == 429:
        wait = retry_after_seconds(headers)
        return SignalFailure(
            "rate limited", rate_limited(name, wait), stop_source=True, retry_after=wait
        )
    if status in (401, 403):
        refused = (
            N_("message", "HTTP {} from {}: token refused or expired")
            if run.module.SECRETS
            else N_("message", "HTTP {} from {}: access refused")
        )
        return SignalFailure("refused", refused.format(status, name), stop_source=True)
    if status >= 500:
        unavailable = N_("message", "HTTP {} from {}: server error")
        return SignalFailure("source unavailable", unavailable.format(status, name))
    return SignalFailure("refused", unexpected_status(status, name))
