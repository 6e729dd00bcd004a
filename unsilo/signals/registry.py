"""Which signal sources exist, which are asked by default, and in which module each lives.

The one place the ``signals`` spider learns source names. Sources are imported lazily, so a
run that asks three sources does not import eleven.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable

from unsilo.signals.source import SignalContext, SignalSource

# name → module; the names are the ones a config file's [signals] sources lists
SOURCE_MODULES: dict[str, str] = {
    "wayback": "unsilo.signals.wayback",
    "hackernews": "unsilo.signals.hackernews",
    "lobsters": "unsilo.signals.lobsters",
    "arctic_shift": "unsilo.signals.arctic_shift",
    "reddit": "unsilo.signals.reddit",
    "bluesky": "unsilo.signals.bluesky",
    "bluesky_search": "unsilo.signals.bluesky_search",
    "lemmy": "unsilo.signals.lemmy",
    "wikipedia": "unsilo.signals.wikipedia",
    "pinterest": "unsilo.signals.pinterest",
    "facebook": "unsilo.signals.facebook",
}
# asked unless [signals] sources says otherwise; the token sources among them report
# "needs token" (with what a token would add) when their variables are unset
DEFAULT_SOURCES: tuple[str, ...] = (
    "hackernews",
    "lemmy",
    "bluesky",
    "wikipedia",
    "wayback",
    "pinterest",
    "reddit",
    "bluesky_search",
    "facebook",
)
# asked only when named: third-party archives and small communities that ask to be spared
OPT_IN_SOURCES: tuple[str, ...] = ("lobsters", "arctic_shift")


def source_module(name: str) -> SignalSource:
    """The module of source ``name``; ``KeyError`` names the known ones."""
    if name not in SOURCE_MODULES:
        known = ", ".join(sorted(SOURCE_MODULES))
        raise KeyError(f"unknown signal source {name!r}; known: {known}")
    return importlib.import_module(SOURCE_MODULES[name])  # type: ignore[return-value]


def chosen_sources(names: Iterable[str] | None) -> list[str]:
    """The sources a run asks: ``names`` in registry order, or the defaults when ``None``.

    Only sources with a module are asked; the rest are left out silently here and listed as
    "not asked" by the spider, so a half-built registry never fakes a complete answer.
    """
    wanted = DEFAULT_SOURCES if names is None else tuple(names)
    order = DEFAULT_SOURCES + OPT_IN_SOURCES
    return [name for name in order if name in wanted]


def secrets_of(src: SignalSource, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The values of ``src.SECRETS`` that are set; read here, handed only to the source."""
    env = os.environ if environ is None else environ
    return {name: env[name] for name in src.SECRETS if env.get(name)}


def missing_secrets(src: SignalSource, secrets: dict[str, str]) -> list[str]:
    """The variables ``src`` needs that are unset.

    A source that accepts either of two logins (Reddit: a ready token, or a client id and
    secret to fetch one) lists the alternatives in ``SECRET_SETS``, preferred first: any
    one set in full is enough, and otherwise the preferred one is named as missing.
    """
    alternatives = getattr(src, "SECRET_SETS", None) or (src.SECRETS,)
    for names in alternatives:
        if all(name in secrets for name in names):
            return []
    return [name for name in alternatives[0] if name not in secrets]


def request_cap(src: SignalSource, ctx: SignalContext, cap: int) -> int:
    """The most calls ``src`` may make in a run: ``cap`` (``UNSILO_SIGNALS_MAX_REQUESTS``)
    per endpoint it asks.

    The cap protects each service and bounds the run. A source that asks every page at
    several endpoints (Lemmy: each configured instance) declares ``endpoint_count(ctx)``;
    one cap for all of them would be spent by the URL budget alone (200 pages × 5
    instances = 1,000 calls), so with default settings it could never finish. Counted per
    endpoint, a default run completes and a huge shop stays bounded by the URL budget and
    by ``cap`` × endpoints.
    """
    count = getattr(src, "endpoint_count", None)
    return cap * max(1, int(count(ctx))) if count is not None else cap
