"""Where the public APIs live, as data: real defaults, overridable for tests and the demo.

``Endpoints.local(base)`` points every platform at one fake server (``unsilo.social.fakes``)
that answers on the same paths as the real services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import quote, urlencode


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Base URLs of the public social APIs.

    ``mastodon`` is ``None`` for the real thing: each account lives on its own instance
    (``https://<instance>``); a value overrides every instance at once, and
    ``mastodon_instances`` overrides single instances by name.
    """

    bluesky_api: str = "https://public.api.bsky.app"
    bluesky_web: str = "https://bsky.app"
    mastodon: str | None = None
    youtube: str = "https://www.youtube.com"
    pinterest: str = "https://www.pinterest.com"
    pinterest_widgets: str = "https://widgets.pinterest.com"
    tumblr: str | None = None  # None: https://<blog>.tumblr.com
    mastodon_instances: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def local(cls, base: str) -> Endpoints:
        """Every platform at ``base`` (a fake server on 127.0.0.1)."""
        base = base.rstrip("/")
        return cls(base, base, base, base, base, base, base)

    def bluesky_profile(self, actor: str) -> str:
        return _xrpc(self.bluesky_api, "app.bsky.actor.getProfile", actor=actor)

    def bluesky_author_feed(self, actor: str, cursor: str | None = None, limit: int = 50) -> str:
        params = {"actor": actor, "filter": "posts_with_replies", "limit": str(limit)}
        if cursor:
            params["cursor"] = cursor
        return _xrpc(self.bluesky_api, "app.bsky.feed.getAuthorFeed", **params)

    def bluesky_post_url(self, author: str, rkey: str) -> str:
        return f"{self.bluesky_web}/profile/{quote(author)}/post/{quote(rkey)}"

    def bluesky_profile_url(self, handle: str) -> str:
        return f"{self.bluesky_web}/profile/{quote(handle)}"

    def mastodon_base(self, instance: str) -> str:
        base = self.mastodon_instances.get(instance) or self.mastodon
        return (base or f"https://{instance}").rstrip("/")

    def mastodon_lookup(self, instance: str, acct: str) -> str:
        return f"{self.mastodon_base(instance)}/api/v1/accounts/lookup?{urlencode({'acct': acct})}"

    def mastodon_statuses(self, instance: str, account_id: str, limit: int = 40) -> str:
        base = self.mastodon_base(instance)
        return f"{base}/api/v1/accounts/{quote(account_id)}/statuses?limit={limit}"

    def youtube_channel_page(self, handle: str) -> str:
        return f"{self.youtube}/@{quote(handle.lstrip('@'))}"

    def youtube_feed(self, channel_id: str) -> str:
        return f"{self.youtube}/feeds/videos.xml?{urlencode({'channel_id': channel_id})}"

    def pinterest_feed(self, user: str) -> str:
        return f"{self.pinterest}/{quote(user)}/feed.rss"

    def pinterest_user_pins(self, user: str) -> str:
        return f"{self.pinterest_widgets}/v3/pidgets/users/{quote(user)}/pins/"

    def tumblr_feed(self, blog: str) -> str:
        if self.tumblr:
            return f"{self.tumblr}/tumblr/{quote(blog)}/rss"
        return f"https://{blog}.tumblr.com/rss"


def _xrpc(base: str, method: str, **params: str) -> str:
    return f"{base}/xrpc/{method}?{urlencode(params)}"


PUBLIC = Endpoints()
"""The real services; the default of every adapter that builds URLs."""


ENDPOINT_KEYS = ("local", "bluesky", "bluesky_web", "mastodon", "youtube", "pinterest", "tumblr")


def endpoints_from_config(config: dict[str, object]) -> Endpoints:
    """``Endpoints`` (per-instance Mastodon bases included) from a spider's ``-a endpoints`` JSON.

    ``{"local": base}`` points everything at one fake; ``"mastodon"`` is a base for every
    instance or ``{"*": base, "<instance>": base}``. Unknown keys raise, naming the valid ones.

    >>> endpoints_from_config({"bluesky": "http://127.0.0.1:9"}).bluesky_api
    'http://127.0.0.1:9'
    """
    unknown = set(config) - set(ENDPOINT_KEYS)
    if unknown:
        raise ValueError(f"unknown endpoints {sorted(unknown)}; use any of {ENDPOINT_KEYS}")
    for key, value in config.items():
        if not isinstance(value, str | dict) or (isinstance(value, dict) and key != "mastodon"):
            raise ValueError(f"endpoint {key!r} must be a base URL string, got {value!r}")
    base = str(config["local"]).rstrip("/") if "local" in config else None
    found = Endpoints.local(base) if base else PUBLIC
    changes: dict[str, str] = {}
    for key, field_name in (("bluesky", "bluesky_api"), ("bluesky_web", "bluesky_web")):
        if key in config:
            changes[field_name] = str(config[key]).rstrip("/")
    for key in ("youtube", "pinterest", "tumblr"):
        if key in config:
            changes[key] = str(config[key]).rstrip("/")
    if "pinterest" in config:
        changes["pinterest_widgets"] = changes["pinterest"]
    mastodon = config.get("mastodon")
    instances = (
        {str(k): str(v).rstrip("/") for k, v in (mastodon or {}).items()}
        if isinstance(mastodon, dict)
        else {}
    )
    if isinstance(mastodon, str):
        changes["mastodon"] = mastodon.rstrip("/")
    elif "*" in instances:
        changes["mastodon"] = instances["*"]
    named = {name: base for name, base in instances.items() if name != "*"}
    return replace(found, **changes, mastodon_instances=named)


def endpoints_from_argument(text: str | None) -> Endpoints:
    """``Endpoints`` of the spider's ``-a endpoints`` (a JSON object; empty: the real services).

    >>> endpoints_from_argument('{"local": "http://127.0.0.1:9"}').youtube
    'http://127.0.0.1:9'
    """
    from unsilo.social.discovery import json_object

    return endpoints_from_config(json_object(text, "endpoints"))
