"""Typed items of the social audit: profiles, their posts, and the links those posts carry.

Same rules as ``unsilo.items``: one item is one row of the table named by ``TABLE``, lists
stay lists, a missing fact is ``None`` (never a zero: an unknown follower count must not
read as "nobody follows"), and storage adds ``run_id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

API_STATUSES = (
    "ok",
    "not found",
    "instance closed",
    "rate limited",
    "source unavailable",
    "not auditable without API access",
    "needs token",
    "malformed response",
)
POST_KINDS = ("post", "reply", "self-thread", "repost", "quote")
LINK_SOURCES = ("facet", "embed", "card", "content", "description", "bio")


@dataclass(slots=True)
class ProfileItem:
    """One social profile of the shop, as its platform reports it (or why it could not)."""

    TABLE = "profiles"

    platform: str
    handle: str
    profile_url: str | None
    api_status: str  # one of API_STATUSES
    status_reason: str | None = None
    display_name: str | None = None
    description: str | None = None
    website: str | None = None
    links_in_bio: list[str] = field(default_factory=list)
    followers: int | None = None
    following: int | None = None
    posts_count: int | None = None
    verified_links: list[str] = field(default_factory=list)  # proven both ways (rel=me, DNS)
    created_at: str | None = None  # ISO 8601
    fetched_at: str | None = None  # ISO 8601, UTC
    # Registrable domains, set by the spider (``unsilo.social.text.with_link_domains``) so
    # models tell "links to the shop" by comparing domains, never by parsing URLs in SQL.
    link_domains: list[str] = field(default_factory=list)  # of website + links_in_bio
    verified_domains: list[str] = field(default_factory=list)  # of verified_links


@dataclass(slots=True)
class PostItem:
    """One post on a profile's timeline; reposts included, marked by ``kind``.

    The counts of a repost are the original post's: analysis filters on ``kind`` before
    it credits engagement to the shop.
    """

    TABLE = "posts"

    platform: str
    handle: str
    post_id: str
    url: str | None
    created_at: str | None  # ISO 8601
    text: str
    kind: str  # one of POST_KINDS
    is_reply_to_other: bool = False
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    quotes: int | None = None
    views: int | None = None  # YouTube
    rating_count: int | None = None  # YouTube star ratings
    links: list[str] = field(default_factory=list)
    # Set by the spider from ``unsilo.social.promo``: the lexicon lives in Python, not SQL.
    promotional: bool | None = None


@dataclass(slots=True)
class PostLinkItem:
    """One URL a post links to, and where in the post it was found."""

    TABLE = "post_links"

    platform: str
    post_id: str
    url: str  # raw, as the platform gave it
    url_key: str
    source: str  # one of LINK_SOURCES
    # Where a short link (or a shop redirect) led, set by the spider's bounded HEAD requests.
    resolved_url: str | None = None
    resolved_url_key: str | None = None
    domain: str | None = None  # registrable domain of ``url``
    resolved_domain: str | None = None  # registrable domain of ``resolved_url``


SOCIAL_ITEM_TYPES: tuple[type, ...] = (ProfileItem, PostItem, PostLinkItem)
