"""The one interface every platform adapter offers, and the plain data it trades with the spider.

The social spider is a generic driver: it asks a platform's adapter for a profile's first
requests, fetches them, hands each successful answer back with the profile's state, and gets
a ``Step`` (profile facts, posts, links, next requests) in return. Requests and answers are
plain data, never Scrapy objects, so an adapter is pure and every step is tested by feeding
it a saved sample. HTTP failures, retries, the post window and cap, and short-link
resolution stay with the driver: they are the same for every platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from unsilo.social.discovery import ProfileRef
from unsilo.social.endpoints import PUBLIC, Endpoints
from unsilo.social.errors import MalformedResponse
from unsilo.social.items import PostItem, PostLinkItem, ProfileItem

RSS_NOTE = "from the public RSS feed: recent posts only, no follower counts"


@dataclass(frozen=True, slots=True)
class SocialRequest:
    """One GET an adapter wants made; ``step`` tells its ``parse`` what the answer is.

    The flags say how the driver treats the call, so it needs no platform names:
    ``api`` marks a documented JSON API (robots.txt is for crawlers of pages, not consulted);
    ``next_page`` is paging, followed only while the window and the post cap allow;
    ``outage_feed`` reads a 404 or 5xx as an outage, not as a missing profile (YouTube's feed);
    ``best_effort`` names what is lost when the call fails: the profile then keeps what it
    has, with a note, instead of failing.
    """

    url: str
    step: str
    api: bool = False
    next_page: bool = False
    outage_feed: bool = False
    best_effort: str | None = None


@dataclass(frozen=True, slots=True)
class SocialResponse:
    """A 2xx answer to ``request``: what an adapter parses. Header names are lower case."""

    request: SocialRequest
    url: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ProfileState:
    """What an adapter may know of the profile it is reading; the driver keeps it current.

    ``handle`` becomes the platform's own spelling once a profile answer named it; ``room``
    is how many more posts the driver will keep (the cap minus the posts kept so far).
    """

    ref: ProfileRef
    endpoints: Endpoints = PUBLIC
    fetched_at: str | None = None
    handle: str = ""
    room: int = 200

    def __post_init__(self) -> None:
        self.handle = self.handle or self.ref.handle


@dataclass(slots=True)
class Step:
    """What one answer adds: the profile's facts (replacing earlier ones), posts, their
    links, and the next requests. ``error`` says why reading stopped after the facts it
    carries (an account answer without an id): the profile keeps them, marked malformed.
    """

    profile: ProfileItem | None = None
    posts: list[PostItem] = field(default_factory=list)
    links: list[PostLinkItem] = field(default_factory=list)
    next: list[SocialRequest] = field(default_factory=list)
    error: MalformedResponse | None = None


class PlatformAdapter(Protocol):
    """The interface of a platform module (``unsilo.social.bluesky`` and its siblings)."""

    PLATFORM: str

    def first_requests(self, state: ProfileState) -> list[SocialRequest]:
        """The calls that start auditing ``state.ref``."""
        ...

    def parse(self, response: SocialResponse, state: ProfileState) -> Step:
        """What ``response`` says; raises ``MalformedResponse`` (or ``ValueError``) when
        the body is not the documented shape."""
        ...


def feed_profile(state: ProfileState, note: str, display_name: str | None = None) -> ProfileItem:
    """The profile row of a feed-only platform: it exists and posts, the counts are unknown
    (``None``, never 0), and ``note`` says what the feed cannot tell."""
    return ProfileItem(
        platform=state.ref.platform,
        handle=state.handle,
        profile_url=state.ref.profile_url,
        api_status="ok",
        status_reason=note,
        display_name=display_name,
        fetched_at=state.fetched_at,
    )
