"""Which adapter reads which platform, and what a missing token costs on each.

The one place the social spider learns platform names: it looks a profile's platform up
here and drives whatever adapter it finds; a platform without one is not auditable.
"""

from __future__ import annotations

import os

from unsilo.social import bluesky, mastodon, pinterest, tumblr, youtube
from unsilo.social.adapter import PlatformAdapter

ADAPTERS: dict[str, PlatformAdapter] = {
    adapter.PLATFORM: adapter for adapter in (bluesky, mastodon, youtube, pinterest, tumblr)
}
# platform: (environment variable, note when it is unset, note when it is set). Only
# whether the variable is set is ever read, never its value.
TOKEN_NOTES: dict[str, tuple[str, str, str]] = {
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


def adapter_for(platform: str) -> PlatformAdapter | None:
    """The adapter of ``platform``; ``None`` for a platform audited by its links only."""
    return ADAPTERS.get(platform)


def token_note(platform: str) -> str | None:
    """What the audit of ``platform`` misses without its token (or that one is set but unused).

    >>> token_note("mastodon") is None
    True
    """
    if platform not in TOKEN_NOTES:
        return None
    env, missing, present = TOKEN_NOTES[platform]
    return present if os.environ.get(env) else missing
