"""Typed items of the signals step: what each source said about the shop's URLs.

Same rules as ``unsilo.items``: one item is one row of the table named by ``TABLE``, a
missing fact is ``None`` (an unknown comment count is not "no comments"), and storage adds
``run_id``. Three tables, so "nobody shared it" and "we could not ask" never look alike:

- ``url_signals``: one row per share or mention a source reported (an HN story, a Lemmy
  post, a Bluesky post, a Wikipedia article, the Wayback Machine's first capture…);
- ``signal_checks``: one row per question asked (a domain listing or one page URL) and
  whether it was answered, so an answered question without ``url_signals`` rows means
  "none found" and an unanswered one means "unknown";
- ``signal_sources``: one row per source per run: what it could do, and why not.
"""

from __future__ import annotations

from dataclasses import dataclass

# How a source or one of its questions ended. "ok": answered in full; "partial": answered,
# but some of it is missing (a listing cut off, follow-up counts unknown); "reused": taken
# from an earlier run within the configured age; the rest say why it is unknown.
CHECK_STATUSES = (
    "ok",
    "partial",
    "reused",
    "needs token",
    "rate limited",
    "refused",
    "source unavailable",
    "malformed response",
    "over budget",
    "not asked",
)
ANSWERED = ("ok", "partial", "reused")
SIGNAL_KINDS = ("share", "mention", "citation", "capture", "count")
SCOPES = ("domain", "url")


@dataclass(slots=True)
class SignalItem:
    """One share or mention of a shop URL, as the source reported it.

    ``url`` is the URL the share points at, as the source spelled it; ``url_key`` is its
    ``unsilo.urls.http_url_key``, which SQL joins to pages (then through redirects and
    canonicals). ``target`` is the question (``SignalCheckItem.target``) it answered, so a
    reused answer travels with its rows. ``kind``: ``share`` (a post linking the page),
    ``mention`` (a post naming it in text), ``citation`` (a Wikipedia article),
    ``capture`` (an archive's first copy: proof the page existed, not a social signal), or
    ``count`` (an aggregate count without posts, e.g. Pinterest saves).
    """

    TABLE = "url_signals"

    source: str
    target: str
    url: str
    url_key: str
    item_id: str  # the source's own id: HN item id, Lemmy ap_id, at:// URI, permalink…
    kind: str = "share"  # one of SIGNAL_KINDS
    status: str = "fresh"  # "fresh", or "reused" once copied from an earlier run
    permalink: str | None = None  # where a person reads it
    title: str | None = None
    author: str | None = None
    community: str | None = None  # subreddit, Lemmy community, wiki language
    points: int | None = None  # score, likes, upvotes, saves
    comments: int | None = None  # comments or replies, all of them
    replies_by_others: int | None = None  # replies not by the author: a conversation
    reposts: int | None = None
    quotes: int | None = None
    first_seen: str | None = None  # ISO 8601: when the share was made (capture: first copy)
    by_shop: bool | None = None  # posted by one of the shop's own profiles
    fetched_at: str | None = None  # ISO 8601, UTC
    note: str | None = None  # what is missing from this row and why (follow-up failed)


@dataclass(slots=True)
class SignalCheckItem:
    """One question put to a source: everything it knows of a domain, or of one URL."""

    TABLE = "signal_checks"

    source: str
    scope: str  # "domain" or "url"
    target: str  # the registrable domain, or the page's url_key
    status: str  # one of CHECK_STATUSES
    reason: str | None = None
    found: int = 0  # signals it produced
    requests: int = 0
    fetched_at: str | None = None
    reused_from: str | None = None  # run_id whose answer was reused


@dataclass(slots=True)
class SignalSourceItem:
    """How one source did in this run: the report's "which sources were asked" table."""

    TABLE = "signal_sources"

    source: str
    status: str  # one of CHECK_STATUSES
    reason: str | None = None
    requests: int = 0
    urls_asked: int = 0  # per-URL questions put (domain sources: 0)
    urls_fresh: int = 0  # per-URL answers still fresh from earlier runs, not asked again
    urls_wanted: int = 0  # pages that qualified for a per-URL question
    found: int = 0
    token_hint: str | None = None  # what a token would add, naming the variable
    fetched_at: str | None = None


SIGNAL_ITEM_TYPES: tuple[type, ...] = (SignalItem, SignalCheckItem, SignalSourceItem)
