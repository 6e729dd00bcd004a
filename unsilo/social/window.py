"""Which posts the social audit keeps: those inside the time window, up to a cap per profile.

The same rule for every platform, so it lives beside the adapters rather than in any of them,
and it is pure: the spider hands it one page of posts and learns whether to page on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from unsilo import clock
from unsilo.social.items import PostItem


@dataclass(frozen=True, slots=True)
class PostWindow:
    """Posts created since ``start`` (aware), at most ``max_posts`` of one profile."""

    start: datetime
    max_posts: int

    @classmethod
    def from_settings(cls, get: Callable[[str], Any], now: datetime | None = None) -> PostWindow:
        """The window of ``UNSILO_SOCIAL_WINDOW_DAYS`` (90) and ``UNSILO_SOCIAL_MAX_POSTS``
        (200), each from ``get`` (Scrapy settings), else the environment; bad values raise.

        >>> PostWindow.from_settings({"UNSILO_SOCIAL_MAX_POSTS": "45"}.get).max_posts
        45
        """
        days = _limit(get, "UNSILO_SOCIAL_WINDOW_DAYS", 90)
        start = (now or clock.now()) - timedelta(days=days)
        return cls(start, _limit(get, "UNSILO_SOCIAL_MAX_POSTS", 200))

    def keep(self, posts: list[PostItem], kept_before: int) -> tuple[list[PostItem], bool]:
        """The posts of one page to keep, after ``kept_before`` of the same profile, and
        whether paging should go on.

        Feeds are newest first, so one post older than the window ends the paging, except
        a pinned old post at the very top of the first page. An undated post is kept.
        """
        kept: list[PostItem] = []
        more, first_page = bool(posts), kept_before == 0
        for n, post in enumerate(posts):
            if kept_before + len(kept) >= self.max_posts:
                more = False
                break
            when = parse_time(post.created_at)
            if when is not None and when < self.start:
                more = more and first_page and n == 0
                continue
            kept.append(post)
        return kept, more and kept_before + len(kept) < self.max_posts


def parse_time(value: str | None) -> datetime | None:
    """An aware datetime of an ISO 8601 string; ``None`` for junk (hostile dates are skipped).

    >>> parse_time("2026-08-20T09:00:00Z").isoformat(), parse_time("soon")
    ('2026-08-20T09:00:00+00:00', None)
    """
    try:
        when = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _limit(get: Callable[[str], Any], name: str, default: int) -> int:
    raw = get(name) or default  # a setting (-s, config file), never the environment
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value
