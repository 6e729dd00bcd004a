"""Where the signal sources live, as data: real defaults, overridable for tests and the demo.

``SignalEndpoints.local(base)`` points every source at one fake server
(``unsilo.signals.fakes``) that answers on the same paths as the real services.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True, slots=True)
class SignalEndpoints:
    """Base URLs of the signal sources (no trailing slash).

    ``lemmy_instances`` are the instances asked (names, as in the config file); ``lemmy``
    overrides the base URL of every instance at once (the fake). Wikipedia languages are
    filled into ``wikipedia`` (``{lang}``).
    """

    hackernews_search: str = "https://hn.algolia.com"
    hackernews_items: str = "https://hacker-news.firebaseio.com"
    lemmy: str | None = None  # None: https://<instance>
    bluesky_api: str = "https://public.api.bsky.app"
    bluesky_auth: str = "https://bsky.social"  # createSession and searchPosts with a login
    bluesky_web: str = "https://bsky.app"
    constellation: str = "https://constellation.microcosm.blue"
    wikipedia: str = "https://{lang}.wikipedia.org"
    wayback: str = "https://web.archive.org"
    pinterest_widgets: str = "https://widgets.pinterest.com"
    reddit_oauth: str = "https://oauth.reddit.com"
    reddit_www: str = "https://www.reddit.com"
    facebook_graph: str = "https://graph.facebook.com"
    lobsters: str = "https://lobste.rs"
    arctic_shift: str = "https://arctic-shift.photon-reddit.com"

    @classmethod
    def local(cls, base: str) -> SignalEndpoints:
        """Every source at ``base`` (a fake server on 127.0.0.1); Wikipedia languages and
        Lemmy instances become path prefixes there (``/wiki/{lang}``, ``/lemmy/<name>``)."""
        base = base.rstrip("/")
        values = {f.name: base for f in fields(cls)}
        values["wikipedia"] = f"{base}/wiki/{{lang}}"
        values["lemmy"] = f"{base}/lemmy/{{instance}}"
        return cls(**values)

    def lemmy_base(self, instance: str) -> str:
        """The base URL of one Lemmy instance (``feddit.dk`` → ``https://feddit.dk``)."""
        if self.lemmy:
            return self.lemmy.replace("{instance}", instance)
        return f"https://{instance}"

    def wikipedia_base(self, language: str) -> str:
        return self.wikipedia.replace("{lang}", language)


PUBLIC = SignalEndpoints()
"""The real services; the default of every source."""


def endpoints_from_argument(text: str | None) -> SignalEndpoints:
    """``SignalEndpoints`` from the spider's ``-a endpoints`` JSON: ``{"local": base}`` or
    field names of ``SignalEndpoints`` with base URLs; empty: the real services.

    >>> endpoints_from_argument('{"local": "http://127.0.0.1:9"}').wayback
    'http://127.0.0.1:9'
    """
    from unsilo.social.discovery import json_object

    config = json_object(text, "endpoints")
    names = {f.name for f in fields(SignalEndpoints)}
    unknown = set(config) - names - {"local"}
    if unknown:
        valid = ["local", *sorted(names)]
        raise ValueError(f"unknown signal endpoints {sorted(unknown)}; use any of {valid}")
    found = SignalEndpoints.local(str(config["local"])) if "local" in config else PUBLIC
    changes = {k: str(v).rstrip("/") for k, v in config.items() if k != "local"}
    return replace(found, **changes)
