"""Platforms that offer no public data for an audit: named with a reason, never zeros.

The report lists them with the profile links the shop has, so the owner sees what exists
even where nothing can be measured.
"""

from __future__ import annotations

from unsilo.social.items import ProfileItem

STATUS = "not auditable without API access"
REASONS: dict[str, str] = {
    "x": "X (Twitter) offers no free read API; embeds carry no counts.",
    "instagram": "Instagram data needs a Meta Graph API business token; oEmbed has no counts.",
    "facebook": "Facebook page and URL engagement need a Graph API app token.",
    "linkedin": "LinkedIn offers no public API for company pages or post counts.",
    "tiktok": "TikTok's embeds carry no counts; its API needs an approved app.",
    "threads": "The Threads oEmbed API forbids analytics use; the Graph API needs a token.",
    "reddit": "Reddit shut its unauthenticated .json endpoints in 2026; OAuth is required.",
    "xing": "XING offers no public API for company pages or their posts.",
    "vimeo": "Vimeo's API needs an access token; without one no counts are read.",
    "soundcloud": "SoundCloud's API needs a registered app; without one no counts are read.",
    "flickr": "Flickr's API needs an API key; without one no counts are read.",
}


def is_unauditable(platform: str) -> bool:
    """True for platforms audited only by their links, without any counts."""
    return platform.lower() in REASONS


def unauditable_profile(
    platform: str, handle: str, profile_url: str | None = None, *, fetched_at: str | None = None
) -> ProfileItem:
    """The profile row for a platform without public data: every count stays ``None``."""
    key = platform.lower()
    reason = REASONS.get(key, f"{platform} has no public API usable without access.")
    return ProfileItem(
        platform=key,
        handle=handle,
        profile_url=profile_url,
        api_status=STATUS,
        status_reason=reason,
        fetched_at=fetched_at,
    )
