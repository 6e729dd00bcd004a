"""Data for ``profiles.py``: platform paths that are not profiles, Mastodon hosts, the
platforms whose profile URLs follow one plain pattern, and follow intents.

Lists, not logic, so adding a reserved path is a one-word change and a platform whose
profiles are ``/<handle>`` or ``/<prefix>/<handle>`` is one ``PathRule``.
"""

from __future__ import annotations

from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


RESERVED = {
    "facebook": _words(
        "sharer sharer.php share.php share dialog plugins help home.php home login login.php"
        " policies privacy legal settings marketplace gaming watch events groups hashtag search"
        " l.php tr photo.php photo story.php permalink.php ads business pg notes media reel"
        " reels stories friends messages about"
    ),
    "instagram": _words(
        "p reel reels tv explore stories accounts about developer legal direct web s"
    ),
    "x": _words(
        "intent share home search hashtag i login signup explore notifications messages"
        " settings tos privacy compose about account download"
    ),
    "pinterest": _words(
        "pin search ideas today categories _ business explore login settings oauth"
    ),
    "tumblr": _words("widgets share dashboard explore tagged search login register"),
    "github": _words("features about login orgs pricing explore topics marketplace"),
    "vimeo": _words(
        "channels groups ondemand categories watch features upload log_in join blog help"
        " search about jobs stock create manage settings live solutions enterprise showcase"
        " album video"
    ),
    "soundcloud": _words(
        "discover charts stream upload search you settings messages notifications pages"
        " terms-of-use imprint jobs pro people tags stations mobile premium"
    ),
    "flickr": _words("tags search"),
}

_HANDLE = r"[\w.\-]{1,100}"


@dataclass(frozen=True, slots=True)
class PathRule:
    """Profiles of one platform: ``/<handle>`` (no ``prefixes``) or ``/<prefix>/<handle>``,
    nothing deeper; ``hosts`` (None: any host of the domain) keeps player and API hosts out,
    ``handle`` is the pattern a handle must match and ``RESERVED`` lists the platform's own
    pages."""

    platform: str
    prefixes: frozenset[str] = frozenset()
    hosts: frozenset[str] | None = None
    handle: str = _HANDLE


PATH_RULES: dict[str, PathRule] = {
    "xing.com": PathRule(
        "xing", _words("profile pages companies"), _words("xing.com www.xing.com")
    ),
    "vimeo.com": PathRule(
        "vimeo", hosts=_words("vimeo.com www.vimeo.com"), handle=r"(?!\d+$)[\w.\-]{1,100}"
    ),  # all digits: a video
    "soundcloud.com": PathRule(
        "soundcloud", hosts=_words("soundcloud.com www.soundcloud.com m.soundcloud.com")
    ),
    "flickr.com": PathRule(
        "flickr", _words("photos people"), _words("flickr.com www.flickr.com"), r"[\w.\-@]{1,100}"
    ),  # Flickr ids look like 12345678@N02
}
"""registrable domain → the one pattern its profile URLs follow."""


@dataclass(frozen=True, slots=True)
class FollowIntent:
    """A "follow this account" link: the handle sits in a query parameter."""

    platform: str
    paths: frozenset[str]
    parameter: str


_X_FOLLOW = FollowIntent("x", _words("/intent/follow /intent/user"), "screen_name")
FOLLOW_INTENTS: dict[str, FollowIntent] = {"twitter.com": _X_FOLLOW, "x.com": _X_FOLLOW}
"""registrable domain → its follow intent; the handle is checked like a profile's."""
MASTODON_INSTANCES = _words(
    "mastodon.social mastodon.online mstdn.social mas.to fosstodon.org hachyderm.io"
    " infosec.exchange techhub.social mastodon.world social.vivaldi.net mstdn.jp"
    " chaos.social troet.cafe norden.social mastodon.art mastodon.green"
)
FEDIVERSE_HINTS = ("mastodon", "mstdn", "toot")
NOT_MASTODON = frozenset({"medium.com", "tiktok.com", "threads.net", "threads.com", "youtube.com"})
