"""The ``social`` spider: audits the shop's social profiles through each platform's public API.

A generic driver: it knows no platform. Each profile's platform names an adapter
(``unsilo.social.registry``) that says which calls to make and turns each answer into
profile facts, posts, links and the next calls (``unsilo.social.adapter``); the driver
fetches, retries, maps failures to an ``api_status``, keeps posts inside the window and cap,
and resolves short links. Every profile ends as exactly one ``ProfileItem`` whose
``api_status`` says how far the audit got.

The profiles are handed to it, never looked up in the warehouse: ``unsilo audit`` passes
the ones the shop claims plus the configured ones; by hand, name them as a JSON list or as
``@file`` holding that list (``-a exclude`` and ``-a shorteners`` take the same forms)::

    scrapy crawl social -a profiles='["https://bsky.app/profile/shop.example"]' \\
        -a site=https://shop.example -s UNSILO_DB=audit.duckdb
    scrapy crawl social -a profiles=@profiles.json -a exclude='["x:shop"]'
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from unsilo import clock
from unsilo.jobdir import move_jobdir
from unsilo.page_limit import drop_click_bounds
from unsilo.social.adapter import ProfileState, SocialRequest, SocialResponse, Step
from unsilo.social.discovery import ProfileRef, json_list, merge_profiles
from unsilo.social.endpoints import endpoints_from_argument
from unsilo.social.errors import (
    ApiOutcome,
    MalformedResponse,
    failed_profile,
    outcome_from_exception,
    outcome_from_http,
    plain_headers,
)
from unsilo.social.items import PostItem, PostLinkItem, ProfileItem
from unsilo.social.promo import is_promotional
from unsilo.social.registry import ADAPTERS, adapter_for, token_note
from unsilo.social.unauditable import unauditable_profile
from unsilo.social.window import PostWindow
from unsilo.spider_arguments import CheckedArguments
from unsilo.spiders.short_links import ShortLinkResolving

MAX_RETRY_WAIT = 60.0  # seconds: a longer Retry-After is recorded as 'rate limited'


@dataclass(slots=True)
class ProfileAudit:
    """What is known of one profile so far; becomes its single ``ProfileItem`` at the end.

    ``state`` is what its adapter sees; ``pending`` counts its calls still out, and the
    profile is finished when the last one is answered without asking for more.
    """

    state: ProfileState
    profile: ProfileItem | None = None
    posts: int = 0
    notes: list[str] = field(default_factory=list)
    pending: int = 0
    done: bool = False

    @property
    def platform(self) -> str:
        return self.state.ref.platform


class SocialSpider(CheckedArguments, ShortLinkResolving, scrapy.Spider):
    """Audit the profiles named by ``-a profiles`` (a JSON list of URLs, or ``@file`` of one).

    ``-a exclude`` leaves some out (URLs or ``platform:handle``); ``-a site`` is the shop
    (URL or host) whose short links and redirects are resolved in posts.
    """

    name = "social"
    custom_settings = {
        "AUTOTHROTTLE_ENABLED": False,  # per-platform slots below set the pace instead
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],  # 429: Retry-After, below
    }

    def __init__(
        self,
        profiles: str | None = None,
        exclude: str | None = None,
        endpoints: str | None = None,
        site: str | None = None,
        shorteners: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.fetched_at = clock.now().isoformat(timespec="seconds")

        def read() -> None:
            self.configured = json_list(profiles, "profiles")
            self.excluded = json_list(exclude, "exclude")
            self.endpoints = endpoints_from_argument(endpoints)
            self.init_short_links(site, json_list(shorteners, "shorteners"))
            if not self.configured:
                raise ValueError(
                    "social spider needs -a profiles='[\"<profile URL>\", …]' or -a profiles=@file"
                )
            # a bad profile URL fails here, early, before any request
            self.refs = merge_profiles([], self.configured, self.excluded)

        self.read_arguments(read)  # a bad one closes the spider in start(), in one line

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        move_jobdir(settings)  # a resumed run audits its profiles again, none skipped as seen
        drop_click_bounds(settings)  # the shop crawl's depth bound is not an API walk's
        delay = float(settings.get("UNSILO_SOCIAL_DELAY") or 1.0)
        slots = {f"social-{p}": {"concurrency": 1, "delay": delay} for p in ADAPTERS}
        slots["social-resolve"] = {"concurrency": 2, "delay": delay / 2}
        settings.set("DOWNLOAD_SLOTS", {**slots, **settings.getdict("DOWNLOAD_SLOTS")}, "spider")

    # --- navigation: whatever the adapter asks for ---------------------------------

    async def start(self) -> AsyncIterator[Any]:
        self.refuse_bad_arguments()
        self.window = PostWindow.from_settings(self.settings.get)
        for ref in self.refs:
            for output in self._begin(ref):
                yield output

    def _begin(self, ref: ProfileRef) -> Iterator[Any]:
        note = token_note(ref.platform)
        adapter = adapter_for(ref.platform)
        if adapter is None:
            item = unauditable_profile(
                ref.platform, ref.handle, ref.profile_url, fetched_at=self.fetched_at
            )
            item.status_reason = " ".join(x for x in (item.status_reason, note) if x)
            yield item
            return
        state = ProfileState(ref, self.endpoints, self.fetched_at, room=self.window.max_posts)
        audit = ProfileAudit(state, notes=[note] if note else [])
        yield from self._send(audit, adapter.first_requests(state))

    def _send(self, audit: ProfileAudit, requests: list[SocialRequest]) -> Iterator[Any]:
        """The adapter's next calls, or the profile's row when it asks for none."""
        for request in requests:
            audit.pending += 1
            yield scrapy.Request(
                request.url,
                callback=self.on_response,
                errback=self.on_error,
                dont_filter=True,
                meta={
                    "download_slot": f"social-{audit.platform}",
                    "dont_obey_robotstxt": request.api,
                    "unsilo_audit": audit,
                    "unsilo_request": request,
                },
            )
        if audit.pending == 0:
            yield from self._finish(audit)

    async def on_response(self, response: Response) -> AsyncIterator[Any]:
        """Every answer: failures and retries first, then the adapter's reading of it."""
        audit: ProfileAudit = response.meta["unsilo_audit"]
        request: SocialRequest = response.meta["unsilo_request"]
        outcome = outcome_from_http(
            audit.platform, response.status, response.headers, feed=request.outage_feed
        )
        wait = outcome.retry_after if outcome is not None else None
        if wait is not None and wait <= MAX_RETRY_WAIT and not response.meta.get("unsilo_retried"):
            self.logger.info("%s rate limited; retrying once in %.0f s", audit.platform, wait)
            await asyncio.sleep(wait)  # Scrapy runs on the asyncio reactor
            meta = {**response.meta, "unsilo_retried": True}
            yield response.request.replace(meta=meta, dont_filter=True)
            return
        audit.pending -= 1
        if outcome is not None:
            for output in self._failed(audit, request, outcome):
                yield output
            return
        answer = SocialResponse(
            request, response.url, response.body, plain_headers(response.headers)
        )
        try:
            step = ADAPTERS[audit.platform].parse(answer, audit.state)
            for output in self._apply(audit, step):
                yield output
        except Exception as exc:  # hostile bodies: one profile's problem, not the run's
            for output in self._failed(
                audit, request, _outcome_of(audit.platform, exc, self.logger)
            ):
                yield output

    def on_error(self, failure: Failure) -> Iterator[Any]:
        audit: ProfileAudit = failure.request.meta["unsilo_audit"]
        audit.pending -= 1
        outcome = outcome_from_exception(audit.platform, failure.value)
        yield from self._failed(audit, failure.request.meta["unsilo_request"], outcome)

    def _apply(self, audit: ProfileAudit, step: Step) -> Iterator[Any]:
        """A step's facts and posts; its paging only while the window and cap allow."""
        if step.profile is not None:
            audit.profile = step.profile
            audit.state.handle = step.profile.handle
        more = yield from self._keep(audit, step.posts, step.links)
        if step.error is not None:
            yield from self._finish(audit, outcome_from_exception(audit.platform, step.error))
            return
        yield from self._send(audit, [r for r in step.next if more or not r.next_page])

    def _failed(
        self, audit: ProfileAudit, request: SocialRequest, outcome: ApiOutcome
    ) -> Iterator[Any]:
        """A failed call ends the profile, unless it was best-effort: then only a note."""
        if request.best_effort is None:
            yield from self._finish(audit, outcome)
            return
        audit.notes.append(f"{request.best_effort} unknown: {outcome.reason}")
        if audit.pending == 0:
            yield from self._finish(audit)

    # --- posts, window and cap ----------------------------------------------------

    def _keep(
        self, audit: ProfileAudit, posts: list[PostItem], links: list[PostLinkItem]
    ) -> Iterator[Any]:
        """Yield the posts inside the window and cap (and their links, resolved); returns
        whether paging should go on."""
        kept, more = self.window.keep(posts, audit.posts)
        audit.posts += len(kept)
        audit.state.room = self.window.max_posts - audit.posts
        for post in kept:
            post.promotional = is_promotional(post.text)
            yield post
        kept_ids = {post.post_id for post in kept}
        for link in links:
            if link.post_id in kept_ids:
                yield from self._resolve(link)
        return more

    def _finish(self, audit: ProfileAudit, outcome: ApiOutcome | None = None) -> Iterator[Any]:
        """The profile's one row: its facts if any, the first failure, and every note."""
        if audit.done:
            return
        audit.done = True
        profile, ref = audit.profile, audit.state.ref
        if profile is None:
            outcome = outcome or ApiOutcome("source unavailable", "no answer")
            profile = failed_profile(
                ref.platform,
                audit.state.handle,
                outcome,
                profile_url=ref.profile_url,
                fetched_at=self.fetched_at,
            )
        else:
            profile.profile_url = ref.profile_url  # the URL the shop links, not an API's
        if audit.profile is not None and outcome is not None:
            profile.api_status = outcome.api_status
            audit.notes.insert(0, f"posts: {outcome.reason}")
        notes = [profile.status_reason] if profile.status_reason else []
        profile.status_reason = "; ".join(notes + audit.notes) or None
        yield profile


def _outcome_of(platform: str, exc: Exception, logger: Any) -> ApiOutcome:
    if isinstance(exc, MalformedResponse | ValueError | UnicodeDecodeError):
        return outcome_from_exception(platform, exc)
    logger.warning("unexpected %s answer shape: %r", platform, exc)
    return ApiOutcome("malformed response", f"{platform} answered in an unexpected shape")
