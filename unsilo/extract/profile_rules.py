"""Data for ``profiles.py``: platform paths that are not profiles, and Mastodon hosts.

Lists, not logic, so adding a reserved path is a one-word change.
"""

from __future__ import annotations


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
}
MASTODON_INSTANCES = _words(
    "mastodon.social mastodon.online mstdn.social mas.to fosstodon.org hachyderm.io"
    " infosec.exchange techhub.social mastodon.world social.vivaldi.net mstdn.jp"
    " chaos.social troet.cafe norden.social mastodon.art mastodon.green"
)
FEDIVERSE_HINTS = ("mastodon", "mstdn", "toot")
NOT_MASTODON = frozenset({"medium.com", "tiktok.com", "threads.net", "threads.com", "youtube.com"})
