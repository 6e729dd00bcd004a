"""The demo shop's history: month ``k`` of ``months`` as a pure function of ``(k, months, seed)``.

``unsilo audit --demo --history N`` (``unsilo.demo.history_run``) audits these states as runs
dated by the run's clock (``unsilo.clock``), so the report's trend has a story to show:

- **pages added and removed**: the shop grows ``GROWTH_PER_MONTH`` pages a month (new
  products and journal posts), and its summer landing page is taken down (``LANDING``);
- **a page that breaks after being shared**: ``BREAKING_PRODUCT`` is discussed on Hacker
  News before the history starts; from ``break_month`` it is gone (404) while the home page
  still features it, so the crawl finds a broken bridge;
- **Open Graph fixed on a section**: from ``og_fix_month`` every product page has complete
  Open Graph, so the shareable and share-ready shares rise;
- **a profile that becomes more active**: more posts, closer together, more followers, more
  posts linking the shop, and from half way the Bluesky bio links the shop back;
- the demo's other shares appear once their date has passed (shared grows over the year).

The months of the events scale with ``months``, so a three-month test history shows each of
them as the twelve-month demo does, only closer together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice

from unsilo.demo import plan as P
from unsilo.demo.shop import DemoShop
from unsilo.signals.demo import demo_signals
from unsilo.signals.fakes import FakeShare, FakeSignals
from unsilo.social.fake_data import FakeSocial

HISTORY_START = datetime(2026, 1, 1, tzinfo=UTC)  # month 0; month k is k calendar months on
HISTORY_PAGES = 60  # month 0's shop: small, so twelve audits take about a minute
GROWTH_PER_MONTH = 6
BREAKING_PRODUCT = 6  # featured on the home page, which keeps linking it once it is gone
LINKED_PAGES = 12  # distinct shop pages the social posts link (as ``unsilo.social.demo``)
MAX_MONTHS = 36


def month_date(k: int) -> datetime:
    """The first of the month ``k`` months after ``HISTORY_START``: month k's run date.

    >>> month_date(0).date().isoformat(), month_date(13).date().isoformat()
    ('2026-01-01', '2027-02-01')
    """
    year, month = divmod(HISTORY_START.month - 1 + k, 12)
    return HISTORY_START.replace(year=HISTORY_START.year + year, month=month + 1)


@dataclass(frozen=True)
class Timeline:
    """The months the events happen in, for a history of ``months`` months."""

    months: int

    @property
    def break_month(self) -> int:
        """The shared product is gone from this month on (a third of the way in)."""
        return max(1, self.months // 3)

    @property
    def og_fix_month(self) -> int:
        """Product pages have complete Open Graph from this month on (two thirds in)."""
        return max(1, 2 * self.months // 3)

    @property
    def landing_gone_month(self) -> int:
        """The summer landing page is removed from this month on (three quarters in)."""
        return max(1, 3 * self.months // 4)


@dataclass(frozen=True)
class MonthState:
    """Everything the demo serves in month ``k``: the shop, its social accounts, its shares."""

    k: int
    months: int
    seed: int
    pages: int  # the size the shop is built with (before ``gone`` pages are removed)

    @property
    def date(self) -> datetime:
        return month_date(self.k)

    @property
    def timeline(self) -> Timeline:
        return Timeline(self.months)

    @property
    def breaking_path(self) -> str:
        return P.ShopPlan.build(self.pages, self.seed).product_path(BREAKING_PRODUCT)

    def gone(self) -> frozenset[str]:
        """The paths removed by month ``k``."""
        t, gone = self.timeline, set()
        if self.k >= t.break_month:
            gone.add(self.breaking_path)
        if self.k >= t.landing_gone_month:
            gone.add(P.LANDING)
        return frozenset(gone)

    def shop(self) -> DemoShop:
        og_fixed = self.k >= self.timeline.og_fix_month
        return DemoShop(pages=self.pages, seed=self.seed, og_fixed=og_fixed, gone=self.gone())

    def social(self, shop_url: str) -> FakeSocial:
        """The shop's accounts this month: busier, better followed, linking the shop more."""
        k, months = self.k, self.months
        paths = tuple(islice(self.shop().paths(), LINKED_PAGES))
        return FakeSocial(
            shop_url.rstrip("/"),
            paths=paths,
            post_count=min(40, 6 + 3 * k),
            anchor=self.date - timedelta(days=1),
            days_between_posts=max(2.0, 10.0 - 0.75 * k),
            followers=300 + 120 * k + 10 * k * k,
            mastodon_followers=80 + 25 * k,
            shop_link_every=3 if 3 * k < months else 2 if 3 * k < 2 * months else 1,
            bio_links_shop=2 * k >= months,
        )

    def signals(self, shop_url: str) -> FakeSignals:
        """The demo's shares dated up to this month, plus the share of the breaking product."""
        base = shop_url.rstrip("/")
        data = demo_signals(self.shop(), base)
        data.shares = [s for s in data.shares if s.created_at <= self.date]
        data.shares.append(
            FakeShare(
                "hackernews",
                base + self.breaking_path,
                "41500000",
                "Show HN: the lamp we have on every desk",
                "deskfan",
                points=64,
                comments=9,
                replies_by_others=9,
                created_at=HISTORY_START - timedelta(days=20),
            )
        )
        return data


def month_state(k: int, months: int = 12, seed: int = 7, pages: int = HISTORY_PAGES) -> MonthState:
    """Month ``k`` (0-based) of a ``months``-month history of the demo shop of ``pages``
    pages at month 0 (growing ``GROWTH_PER_MONTH`` a month).

    >>> month_state(2, 3).date.date().isoformat(), month_state(2, 3).pages
    ('2026-03-01', 72)
    """
    if not 0 <= k < months <= MAX_MONTHS:
        raise ValueError(f"month {k} of a {months}-month history (1–{MAX_MONTHS} months)")
    size = min(P.MAX_PAGES, pages + GROWTH_PER_MONTH * k)
    return MonthState(k, months, seed, size)
