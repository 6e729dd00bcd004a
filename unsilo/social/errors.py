"""Why a source gave no data: HTTP statuses, exceptions and bad bodies → ``api_status``.

The design's rule is "unknown with a reason, never a zero", so every failure ends as a
``ProfileItem`` with an explicit status rather than as empty counts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from lxml import etree

from unsilo.brands import brand
from unsilo.languages import N_
from unsilo.social.items import ProfileItem


class MalformedResponse(ValueError):
    """The body is not the JSON/XML shape the platform documents."""


@dataclass(frozen=True, slots=True)
class ApiOutcome:
    """What a failed call means for the audit, and when trying again makes sense."""

    api_status: str
    reason: str
    retry_after: float | None = None  # seconds


def load_json(body: bytes | str | Any) -> Any:
    """Parsed JSON; already-parsed data passes through so adapters accept either."""
    if not isinstance(body, bytes | str):
        return body
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedResponse(f"not JSON: {exc}") from exc


def outcome_from_http(
    platform: str,
    status: int,
    headers: Mapping[Any, Any] | None = None,
    *,
    feed: bool = False,
    now: datetime | None = None,
) -> ApiOutcome | None:
    """The outcome of an HTTP answer; ``None`` for success (2xx).

    ``feed`` marks YouTube's RSS feed, which has answered 404 and 500 for existing
    channels during repeated outages (2024–2026), so a 404 there proves nothing.
    ``headers`` may be a plain dict, ``http.client`` headers or Scrapy's bytes headers.
    """
    if 200 <= status < 300:
        return None
    headers = plain_headers(headers)
    if status == 429:
        wait = retry_after_seconds(headers, now=now)
        return ApiOutcome("rate limited", rate_limited(brand(platform), wait), wait)
    if feed and (status == 404 or status >= 500):
        return ApiOutcome(
            "source unavailable",
            f"YouTube feed answered HTTP {status}; the feed has had outages for existing channels",
        )
    if status in (401, 403) and platform == "mastodon":
        return ApiOutcome(
            "instance closed",
            f"HTTP {status}: the instance requires login for its API "
            "(DISALLOW_UNAUTHENTICATED_API_ACCESS or limited federation)",
        )
    if status in (401, 403):
        return ApiOutcome("needs token", f"HTTP {status}: {platform} requires authentication")
    if status in (400, 404, 410):
        return ApiOutcome("not found", f"HTTP {status}: {platform} does not know this profile")
    if status >= 500:
        return ApiOutcome("source unavailable", f"HTTP {status}: {platform} server error")
    return ApiOutcome("source unavailable", unexpected_status(status, brand(platform)))


def outcome_from_exception(platform: str, exc: BaseException) -> ApiOutcome:
    """The outcome of a call that raised: bad bodies vs. unreachable sources."""
    if isinstance(exc, MalformedResponse | json.JSONDecodeError | etree.XMLSyntaxError):
        return ApiOutcome("malformed response", f"{platform} sent an unreadable body: {exc}")
    if isinstance(exc, UnicodeDecodeError):
        return ApiOutcome("malformed response", f"{platform} sent undecodable bytes")
    name = type(exc).__name__
    return ApiOutcome("source unavailable", f"{platform} unreachable: {name}: {exc}")


def plain_headers(headers: Mapping[Any, Any] | None) -> dict[str, str]:
    """Lower-case ``str`` names and values; for a repeated header, its first value.

    >>> plain_headers({b"Retry-After": [b"30"]})
    {'retry-after': '30'}
    """
    plain: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if isinstance(value, list | tuple):
            value = value[0] if value else ""
        name = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        value = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        plain.setdefault(name.lower(), value)
    return plain


def retry_after_seconds(headers: Mapping[Any, Any], *, now: datetime | None = None) -> float | None:
    """Seconds to wait, from ``Retry-After`` (delta or HTTP-date), Bluesky's
    ``ratelimit-reset`` (epoch seconds) or Reddit's ``x-ratelimit-reset`` (seconds left);
    ``None`` when absent or unreadable."""
    headers = plain_headers(headers)
    now = now or datetime.now(UTC)
    value = (headers.get("retry-after") or "").strip()
    if value.isdigit():
        return float(value)
    if value:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - now).total_seconds())
    reset = (headers.get("ratelimit-reset") or "").strip()
    if reset.isdigit():
        return max(0.0, int(reset) - now.timestamp())
    # Reddit: seconds until the window resets (Mastodon's is a timestamp: not read here)
    reddit = (headers.get("x-ratelimit-reset") or "").strip()
    if reddit.replace(".", "", 1).isdigit():
        return float(reddit)
    return None


def failed_profile(
    platform: str,
    handle: str,
    outcome: ApiOutcome,
    *,
    profile_url: str | None = None,
    fetched_at: str | None = None,
) -> ProfileItem:
    """A profile row that says why its facts are unknown (all counts stay ``None``)."""
    return ProfileItem(
        platform=platform,
        handle=handle,
        profile_url=profile_url,
        api_status=outcome.api_status,
        status_reason=outcome.reason,
        fetched_at=fetched_at,
    )


def rate_limited(name: str, wait: float | None) -> str:
    """Why a source or platform stopped at HTTP 429 (a marked sentence: the report shows it
    in its language): ``HTTP 429 from Pinterest; retry after 3600 s``."""
    if wait is None:
        return N_("message", "HTTP 429 from {}").format(name)
    return N_("message", "HTTP 429 from {}; retry after {} s").format(name, f"{wait:.0f}")


def unexpected_status(status: int, name: str) -> str:
    """Why an answer with a status the caller does not read counts as a failure."""
    return N_("message", "unexpected HTTP {} from {}").format(status, name)
