"""The ``social`` spider: audits the shop's social profiles through each platform's public API.

It navigates only (which call next, when to stop paging, when to retry); the pure adapters
under ``unsilo.social`` turn each answer into profile, post and post-link items. Every
profile ends as exactly one ``ProfileItem`` whose ``api_status`` says how far the audit got.

The profiles are handed to it, never looked up in the warehouse: ``unsilo audit`` passes
the ones the shop claims plus the configured ones; by hand, name them as a JSON list or as
``@file`` holding that list (``-a exclude`` and ``-a shorteners`` take the same forms)::

    scrapy crawl social -a profiles='["https://bsky.app/profile/shop.example"]' \\
        -a site=https://shop.example -s UNSILO_DB=audit.duckdb
    scrapy crawl social -a profiles=@profiles.json -a exclude='["x:shop"]'
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from unsilo.jobdir import move_jobdir
from unsilo.social import bluesky, mastodon, pinterest, tumblr, youtube
from unsilo.social.discovery import ProfileRef, json_list, merge_profiles
from unsilo.social.endpoints import Endpoints, endpoints_from_config
from unsilo.social.errors import (
    ApiOutcome,
    MalformedResponse,
    failed_profile,
    load_json,
    outcome_from_exception,
    outcome_from_http,
)
from unsilo.social.items import PostItem, PostLinkItem, ProfileItem
from unsilo.social.promo import is_promotional
from unsilo.social.resolve import MAX_HOPS, MAX_RESOLUTIONS, needs_resolving, next_hop
from unsilo.social.unauditable import unauditable_profile
from unsilo.urls import registrable_domain, url_domain, url_key

MAX_RETRY_WAIT = 60.0  # seconds: a longer Retry-After is recorded as 'rate limited'
FIRST_STEP = {
    "bluesky": "bluesky_profile",
    "mastodon": "mastodon_lookup",
    "youtube": "youtube_page",
    "pinterest": "pinterest_feed",
    "tumblr": "tumblr_feed",
}
TOKEN_NOTES = {  # what a missing token costs; the token's value is never read beyond "set?"
    "bluesky": (
        "UNSILO_BLUESKY_APP_PASSWORD",
        "mentions by others not searched (searchPosts needs UNSILO_BLUESKY_APP_PASSWORD)",
        "UNSILO_BLUESKY_APP_PASSWORD is set, but mention search is not implemented yet",
    ),
    "youtube": (
        "UNSILO_YOUTUBE_API_KEY",
        "subscribers and comments need UNSILO_YOUTUBE_API_KEY",
        "UNSILO_YOUTUBE_API_KEY is set, but the Data API is not used yet",
    ),
    "reddit": (
        "UNSILO_REDDIT_TOKEN",
        "set UNSILO_REDDIT_TOKEN for OAuth access",
        "UNSILO_REDDIT_TOKEN is set, but the Reddit OAuth adapter is not implemented yet",
    ),
}


@dataclass(slots=True)
class ProfileAudit:
    """What is known of one profile so far; becomes its single ``ProfileItem`` at the end."""

    ref: ProfileRef
    handle: str
    endpoints: Endpoints
    profile: ProfileItem | None = None
    posts: int = 0
    notes: list[str] = field(default_factory=list)
    done: bool = False


class SocialSpider(scrapy.Spider):
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
        self.configured = json_list(profiles, "profiles")
        self.excluded = json_list(exclude, "exclude")
        try:
            config = json.loads(endpoints) if endpoints else {}
        except ValueError as exc:
            raise ValueError(f"-a endpoints must be a JSON object: {exc}") from exc
        if not isinstance(config, dict):
            raise ValueError(f"-a endpoints must be a JSON object, got {endpoints!r}")
        self.endpoints, self.mastodon_bases = endpoints_from_config(config)
        self.site = _site(site)
        self.shorteners = json_list(shorteners, "shorteners")
        self.fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.resolved: dict[str, str | None] = {}
        self.waiting: dict[str, list[PostLinkItem]] = {}
        if not self.configured:
            raise ValueError(
                "social spider needs -a profiles='[\"<profile URL>\", …]' or -a profiles=@file"
            )
        # a bad profile URL fails here, early, before any request
        self.refs = merge_profiles([], self.configured, self.excluded)

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        move_jobdir(settings)  # a resumed run audits its profiles again, none skipped as seen
        delay = float(settings.get("UNSILO_SOCIAL_DELAY") or 1.0)
        slots = {f"social-{p}": {"concurrency": 1, "delay": delay} for p in FIRST_STEP}
        slots["social-resolve"] = {"concurrency": 2, "delay": delay / 2}
        settings.set("DOWNLOAD_SLOTS", {**slots, **settings.getdict("DOWNLOAD_SLOTS")}, "spider")

    # --- configuration ------------------------------------------------------------

    def _limit(self, name: str, default: int) -> int:
        raw = self.settings.get(name) or os.environ.get(name) or default
        try:
            value = int(raw)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
        return value

    # --- navigation ---------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        self.window_start = datetime.now(UTC) - timedelta(
            days=self._limit("UNSILO_SOCIAL_WINDOW_DAYS", 90)
        )
        self.max_posts = self._limit("UNSILO_SOCIAL_MAX_POSTS", 200)
        for ref in self.refs:
            for output in self._begin(ref):
                yield output

    def _begin(self, ref: ProfileRef) -> Iterator[Any]:
        platform = ref.platform
        if platform not in FIRST_STEP:
            item = unauditable_profile(
                platform, ref.handle, ref.profile_url, fetched_at=self.fetched_at
            )
            note = _token_note(platform)
            item.status_reason = " ".join(x for x in (item.status_reason, note) if x)
            yield item
            return
        audit = ProfileAudit(ref, ref.handle, self._endpoints_for(ref))
        if note := _token_note(platform):
            audit.notes.append(note)
        if platform == "youtube" and youtube.normalize_channel_id(ref.handle) == ref.handle:
            yield self._call(audit, "youtube_feed", audit.endpoints.youtube_feed(ref.handle))
            return
        yield self._call(audit, FIRST_STEP[platform], self._first_url(audit))

    def _endpoints_for(self, ref: ProfileRef) -> Endpoints:
        if ref.platform != "mastodon":
            return self.endpoints
        instance = ref.handle.rpartition("@")[2]
        base = self.mastodon_bases.get(instance)
        return replace(self.endpoints, mastodon=base) if base else self.endpoints

    def _first_url(self, audit: ProfileAudit) -> str:
        e, handle = audit.endpoints, audit.ref.handle
        match audit.ref.platform:
            case "bluesky":
                return e.bluesky_profile(handle)
            case "mastodon":
                user, _, instance = handle.partition("@")
                return e.mastodon_lookup(instance, user)
            case "youtube":
                return e.youtube_channel_page(handle)
            case "pinterest":
                return e.pinterest_feed(handle)
            case _:
                return e.tumblr_feed(handle)

    def _call(self, audit: ProfileAudit, step: str, url: str, **meta: Any) -> scrapy.Request:
        platform = audit.ref.platform
        api = platform in ("bluesky", "mastodon")  # documented JSON APIs, not pages to crawl
        return scrapy.Request(
            url,
            callback=self.on_response,
            errback=self.on_error,
            dont_filter=True,
            meta={
                "download_slot": f"social-{platform}",
                "dont_obey_robotstxt": api,
                "unsilo_audit": audit,
                "unsilo_step": step,
                **meta,
            },
        )

    async def on_response(self, response: Response) -> AsyncIterator[Any]:
        """Every API answer: failures and retries first, then the step's own work."""
        audit: ProfileAudit = response.meta["unsilo_audit"]
        step: str = response.meta["unsilo_step"]
        platform = audit.ref.platform
        outcome = outcome_from_http(
            platform, response.status, response.headers, feed=step == "youtube_feed"
        )
        if outcome is not None:
            wait = outcome.retry_after
            if (
                wait is not None
                and wait <= MAX_RETRY_WAIT
                and not response.meta.get("unsilo_retried")
            ):
                self.logger.info("%s rate limited; retrying once in %.0f s", platform, wait)
                await asyncio.sleep(wait)  # Scrapy runs on the asyncio reactor
                meta = {**response.meta, "unsilo_retried": True}
                yield response.request.replace(meta=meta, dont_filter=True)
                return
            for output in self._finish(audit, outcome):
                yield output
            return
        try:
            for output in getattr(self, f"_{step}")(response, audit):
                yield output
        except Exception as exc:  # hostile bodies: one profile's problem, not the run's
            for output in self._finish(audit, _outcome_of(platform, exc, self.logger)):
                yield output

    def on_error(self, failure: Failure) -> Iterator[Any]:
        audit: ProfileAudit = failure.request.meta["unsilo_audit"]
        yield from self._finish(audit, outcome_from_exception(audit.ref.platform, failure.value))

    # --- steps: one per kind of answer --------------------------------------------

    def _bluesky_profile(self, response: Response, audit: ProfileAudit) -> Iterator[Any]:
        audit.profile = bluesky.profile_from_json(
            response.body, endpoints=audit.endpoints, fetched_at=self.fetched_at
        )
        audit.handle = audit.profile.handle
        yield self._bluesky_page(audit, None)

    def _bluesky_page(self, audit: ProfileAudit, cursor: str | None) -> scrapy.Request:
        limit = min(50, self.max_posts - audit.posts)
        return self._call(
            audit, "bluesky_feed", audit.endpoints.bluesky_author_feed(audit.handle, cursor, limit)
        )

    def _bluesky_feed(self, response: Response, audit: ProfileAudit) -> Iterator[Any]:
        posts, links, cursor = bluesky.posts_from_author_feed(
            response.body, audit.handle, endpoints=audit.endpoints
        )
        more = yield from self._keep(audit, posts, links)
        if more and cursor:
            yield self._bluesky_page(audit, cursor)
        else:
            yield from self._finish(audit)

    def _mastodon_lookup(self, response: Response, audit: ProfileAudit) -> Iterator[Any]:
        data = load_json(response.body)
        instance = audit.ref.handle.rpartition("@")[2]
        audit.profile = mastodon.account_from_json(
            data, instance=instance, fetched_at=self.fetched_at
        )
        audit.handle = audit.profile.handle
        account_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(account_id, str | int) or not str(account_id).isdigit():
            raise MalformedResponse("account without a numeric id")
        url = audit.endpoints.mastodon_statuses(instance, str(account_id), limit=40)
        yield self._call(audit, "mastodon_statuses", url)

    def _mastodon_statuses(self, response: Response, audit: ProfileAudit) -> Iterator[Any]:
        posts, links = mastodon.statuses_from_json(response.body, audit.handle)
        more = yield from self._keep(audit, posts, links)
        next_url = mastodon.next_page_url(response.headers.get("Link"))
        if more and next_url:
            yield self._call(audit, "mastodon_statuses", next_url)
        else:
            yield from self._finish(audit)

    def _youtube_page(self, response: Response, audit: ProfileAudit) -> Iterator[Any]:
        channel_id = youtube.channel_id_from_page(response.body)
        if channel_id is None:
            raise MalformedResponse("the channel page names no channel id")
        yield self._call(audit, "youtube_feed", audit.endpoints.youtube_feed(channel_id))

    def _youtube_feed(self, response: Response, audit: ProfileAudit) -> Iterator[Any]:
        feed = youtube.videos_from_feed(response.body, audit.handle)
        audit.profile = ProfileItem(
            platform="youtube",
            handle=audit.handle,
            profile_url=audit.ref.profile_url,
            api_status="ok",
            display_name=feed.title,
            fetched_at=self.fetched_at,
        )
        audit.notes.insert(0, feed.feed_limit_note)
        yield from self._keep(audit, feed.posts, feed.links)
        yield from self._finish(audit)

    def _pinterest_feed(self, response: Response, audit: ProfileAudit) -> Iterator[Any]:
        posts, links = pinterest.pins_from_rss(response.body, audit.handle)
        yield from self._rss_done(audit, posts, links)

    def _tumblr_feed(self, response: Response, audit: ProfileAudit) -> Iterator[Any]:
        posts, links = tumblr.posts_from_rss(response.body, audit.handle)
        yield from self._rss_done(audit, posts, links)

    def _rss_done(self, audit: ProfileAudit, posts: list, links: list) -> Iterator[Any]:
        """RSS gives posts only: the profile row says so, its counts stay unknown."""
        audit.profile = ProfileItem(
            platform=audit.ref.platform,
            handle=audit.handle,
            profile_url=audit.ref.profile_url,
            api_status="ok",
            fetched_at=self.fetched_at,
        )
        audit.notes.insert(0, "from the public RSS feed: recent posts only, no follower counts")
        yield from self._keep(audit, posts, links)
        yield from self._finish(audit)

    # --- posts, window and cap ----------------------------------------------------

    def _keep(
        self, audit: ProfileAudit, posts: list[PostItem], links: list[PostLinkItem]
    ) -> Iterator[Any]:
        """Yield the posts inside the window and cap (and their links); returns whether
        paging should go on. Feeds are newest first, so one post older than the window
        ends the paging (a pinned old post at the very top does not)."""
        kept: set[str] = set()
        more, first_page = bool(posts), audit.posts == 0
        for n, post in enumerate(posts):
            if audit.posts >= self.max_posts:
                more = False
                break
            when = _parse_time(post.created_at)
            if when is not None and when < self.window_start:
                more = more and first_page and n == 0
                continue
            post.promotional = is_promotional(post.text)
            audit.posts += 1
            kept.add(post.post_id)
            yield post
        for link in links:
            if link.post_id in kept:
                yield from self._resolve(link)
        return more and audit.posts < self.max_posts

    def _finish(self, audit: ProfileAudit, outcome: ApiOutcome | None = None) -> Iterator[Any]:
        """The profile's one row: its facts if any, the first failure, and every note."""
        if audit.done:
            return
        audit.done = True
        profile = audit.profile
        if profile is None:
            outcome = outcome or ApiOutcome("source unavailable", "no answer")
            profile = failed_profile(
                audit.ref.platform,
                audit.handle,
                outcome,
                profile_url=audit.ref.profile_url,
                fetched_at=self.fetched_at,
            )
        else:
            profile.profile_url = audit.ref.profile_url  # the URL the shop links, not an API's
        if audit.profile is not None and outcome is not None:
            profile.api_status = outcome.api_status
            audit.notes.insert(0, f"posts: {outcome.reason}")
        notes = [profile.status_reason] if profile.status_reason else []
        profile.status_reason = "; ".join(notes + audit.notes) or None
        yield profile

    # --- short links and shop redirects --------------------------------------------

    def _resolve(self, link: PostLinkItem) -> Iterator[Any]:
        url = link.url
        if not needs_resolving(url, self.site, self.shorteners):
            yield link
        elif url in self.resolved:
            yield _resolved(link, self.resolved[url])
        elif url in self.waiting:
            self.waiting[url].append(link)
        elif len(self.resolved) + len(self.waiting) >= MAX_RESOLUTIONS:
            yield link
        else:
            self.waiting[url] = [link]
            yield self._hop(url, url, 0)

    def _hop(self, origin: str, url: str, hops: int) -> scrapy.Request:
        return scrapy.Request(
            url,
            method="HEAD",
            callback=self.on_hop,
            errback=self.on_hop_error,
            dont_filter=True,
            meta={
                "dont_redirect": True,
                "handle_httpstatus_all": True,
                "download_slot": "social-resolve",
                "unsilo_origin": origin,
                "unsilo_hops": hops,
            },
        )

    def on_hop(self, response: Response) -> Iterator[Any]:
        origin, hops = response.meta["unsilo_origin"], response.meta["unsilo_hops"]
        target = next_hop(response.url, response.status, response.headers)
        if target is not None and hops + 1 < MAX_HOPS:
            yield self._hop(origin, target, hops + 1)
            return
        yield from self._settle(origin, target or response.url)

    def on_hop_error(self, failure: Failure) -> Iterator[Any]:
        meta = failure.request.meta
        hops_made = meta["unsilo_hops"]
        yield from self._settle(meta["unsilo_origin"], failure.request.url if hops_made else None)

    def _settle(self, origin: str, resolved: str | None) -> Iterator[Any]:
        self.resolved[origin] = resolved
        for link in self.waiting.pop(origin, []):
            yield _resolved(link, resolved)


def _resolved(link: PostLinkItem, url: str | None) -> PostLinkItem:
    link.resolved_url = url
    link.resolved_url_key = url_key(url) if url else None
    link.resolved_domain = url_domain(url)
    return link


def _parse_time(value: str | None) -> datetime | None:
    """An aware datetime of an ISO 8601 string; ``None`` for junk (hostile dates are skipped)."""
    try:
        when = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _token_note(platform: str) -> str | None:
    if platform not in TOKEN_NOTES:
        return None
    env, missing, present = TOKEN_NOTES[platform]
    return present if os.environ.get(env) else missing


def _site(site: str | None) -> str | None:
    """The shop's registrable domain from ``-a site`` (a URL or a bare host)."""
    if not site:
        return None
    host = urlsplit(site if "://" in site else f"//{site}").hostname or ""
    return registrable_domain(host) or None


def _outcome_of(platform: str, exc: Exception, logger: Any) -> ApiOutcome:
    if isinstance(exc, MalformedResponse | ValueError | UnicodeDecodeError):
        return outcome_from_exception(platform, exc)
    logger.warning("unexpected %s answer shape: %r", platform, exc)
    return ApiOutcome("malformed response", f"{platform} answered in an unexpected shape")
