"""Platforms without public data are named with a reason and unknown counts."""

from __future__ import annotations

import pytest

from unsilo.social.unauditable import REASONS, STATUS, is_unauditable, unauditable_profile


@pytest.mark.parametrize(
    "platform",
    ["x", "instagram", "facebook", "linkedin", "tiktok", "threads", "reddit"]
    + ["xing", "vimeo", "soundcloud", "flickr"],
)
def test_unauditable_platforms(platform) -> None:
    profile = unauditable_profile(platform.upper(), "shop", f"https://{platform}.example/shop")
    assert is_unauditable(platform)
    assert profile.platform == platform
    assert profile.api_status == STATUS == "not auditable without API access"
    assert profile.status_reason == REASONS[platform]
    assert profile.profile_url == f"https://{platform}.example/shop"
    counts = (profile.followers, profile.following, profile.posts_count)
    assert counts == (None, None, None)  # never zeros


def test_auditable_platforms_are_not_listed() -> None:
    assert not any(is_unauditable(p) for p in ("bluesky", "mastodon", "youtube"))
    assert unauditable_profile("myspace", "shop").status_reason.startswith("myspace")
