"""What the fake signal sources know: shares of shop URLs, one ``FakeShare`` each.

Every source's fake routes (``unsilo.signals.fakes.<group>``) render their answers from the
same list, in the shapes of ``../shared/samples/``, so a test or the demo says "this page was
shared on Hacker News with 12 comments" once and every source agrees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True, slots=True)
class FakeShare:
    """One share of ``url`` at ``source`` (a name from ``unsilo.signals.registry``).

    ``url`` is the URL exactly as the sharer spelled it (variants on purpose: ``http://``,
    ``www.``, a ``utm_source``, an old URL that now redirects). ``replies_by_others`` are
    the conversation; ``comments`` all comments. ``by_shop``: posted by the shop's own
    profile. ``extra`` carries source-specific facts (``{"instance": "feddit.dk"}``,
    ``{"language": "da"}``, ``{"community": "r/denmark"}``).
    """

    source: str
    url: str
    item_id: str
    title: str = ""
    author: str = "someone"
    points: int = 0
    comments: int = 0
    replies_by_others: int = 0
    reposts: int = 0
    quotes: int = 0
    created_at: datetime = field(default_factory=lambda: datetime(2026, 9, 1, 12, tzinfo=UTC))
    by_shop: bool = False
    extra: tuple[tuple[str, str], ...] = ()

    def get(self, name: str, default: str = "") -> str:
        """A source-specific fact from ``extra``."""
        return dict(self.extra).get(name, default)


@dataclass(slots=True)
class FakeSignals:
    """The shares the fakes know of, and the shop they are about."""

    shop_base: str
    shares: list[FakeShare] = field(default_factory=list)
    # Wayback: first capture per path; pages not listed were never captured
    captures: dict[str, datetime] = field(default_factory=dict)
    # Pinterest and Facebook answer per URL with counts: url → count
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    # Lemmy: instance → "0.19" (the default), "1.0", "private" or "rate-limited"
    lemmy_instances: dict[str, str] = field(default_factory=dict)

    def of(self, source: str) -> list[FakeShare]:
        """The shares at ``source``, newest first, as the real listings order them."""
        found = [s for s in self.shares if s.source == source]
        return sorted(found, key=lambda s: s.created_at, reverse=True)

    @property
    def host(self) -> str:
        return self.shop_base.split("://", 1)[-1].split("/", 1)[0]

    def ago(self, days: int) -> datetime:
        return datetime(2026, 11, 30, 12, tzinfo=UTC) - timedelta(days=days)
