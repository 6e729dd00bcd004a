"""The demo shop's signals: a ``FakeSignalServer`` whose shares fill every level of the report.

``unsilo audit --demo`` (and the tests and ``bench/signals_requests.py``) serve it beside
the demo shop. Pages are picked by role from the shop's plan (its first products and blog
posts, the plan's fixed special paths), so the same shares exist in a 100-page test shop,
the 300-page default demo and a 10,000-page benchmark shop. What the report then shows:

- **shared**: pages on Hacker News, Lemmy (a Danish post federated to lemmy.world: one
  share, not two), Bluesky (found through Constellation), cited on Danish Wikipedia.
  Per-URL sources (Lemmy, Bluesky, Pinterest) ask only indexable pages, most valuable
  first (most linked), within a budget: their shares are of the home page and the first
  products, which the home page features (in the 300-page demo they rank within the top
  25; blog posts rank last, so they are shared only on domain-listed sources, as are
  gone and noindex pages);
- **conversation**: some of those shares have comments and replies by others;
- spellings a matcher must fold: ``https://`` for an ``http://`` shop, ``www.``, a
  ``utm_source``, a trailing slash; and an old campaign URL (``REDIRECT_START``) whose
  share lands on the category it now redirects to;
- **broken bridges**: shares of pages that are gone (``REDIRECT_TO_404``, a
  ``BROKEN_TARGETS`` product cited on Wikipedia) or kept out of search (``WISHLIST``,
  noindex) — every one of them linked from the shop, so the crawl has its row;
- **unknown, never "none"**: English Wikipedia answers 503, Pinterest 429 with an hour's
  ``Retry-After``, and the token sources (Reddit, Bluesky search, Facebook) have no token,
  so the driver reports "needs token" without asking them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import islice

from unsilo.demo import plan as P
from unsilo.demo.shop import DemoShop
from unsilo.signals.fakes import FakeShare, FakeSignals, FakeSignalServer
from unsilo.signals.registry import SOURCE_MODULES

CAPTURED_PAGES = 40  # the first shop paths the Wayback Machine has a first capture of
# Paths the fakes fail, and how: a whole language edition down, a source rate-limited
WIKIPEDIA_DOWN = ("/wiki/en", "503")
PINTEREST_LIMITED = ("/v1/urls/count.json", "429")
PINTEREST_RETRY_AFTER = "3600"  # an hour: far beyond what the driver waits out


def demo_signal_server(shop: DemoShop, shop_url: str) -> FakeSignalServer:
    """A fake (not yet started: use it in a ``with`` block) for ``shop`` served at ``shop_url``.

    Point the ``signals`` spider at it with ``-a endpoints='{"local": <fake.url>}'`` and
    ``demo_signal_slots()`` as ``DOWNLOAD_SLOTS`` (the fake is local: no pacing needed).
    """
    fake = FakeSignalServer(demo_signals(shop, shop_url))
    fake.fail(WIKIPEDIA_DOWN[0], WIKIPEDIA_DOWN[1])
    fake.fail(PINTEREST_LIMITED[0], PINTEREST_LIMITED[1], retry_after=PINTEREST_RETRY_AFTER)
    return fake


def demo_signals(shop: DemoShop, shop_url: str) -> FakeSignals:
    """What the demo fakes know of ``shop`` at ``shop_url``: shares, captures and counts."""
    base = shop_url.rstrip("/")
    return FakeSignals(
        base,
        shares=demo_shares(shop, base),
        captures=_captures(shop),
        counts=_counts(shop, base),
        lemmy_instances={"lemmy.world": "0.19", "feddit.dk": "0.19", "lemmy.ml": "1.0"},
    )


def demo_signal_slots() -> dict[str, dict[str, float]]:
    """``DOWNLOAD_SLOTS`` for the demo fakes: every source unpaced, since all are local.

    The real services' politeness delays (Lemmy 2.5 s, Facebook 18 s) would make a local
    demo take minutes for nothing.
    """
    return {f"signals-{name}": {"concurrency": 1, "delay": 0.0} for name in SOURCE_MODULES}


def demo_shares(shop: DemoShop, base: str) -> list[FakeShare]:
    """Every share the demo fakes know, by role (first products, first articles)."""
    plan = shop.plan
    product = [base + plan.product_path(i) for i in range(min(plan.products, 6))]
    article = base + plan.article_path(0)
    https = "https://" + base.split("://", 1)[1]  # the other scheme, for a spelling variant
    www = base.replace("://", "://www.", 1)

    def ago(days: int) -> datetime:
        return datetime(2026, 11, 30, 12, tzinfo=UTC) - timedelta(days=days)

    return [
        # Hacker News: by domain, so any spelling on the shop's host is found
        FakeShare(
            "hackernews",
            f"{https}{plan.product_path(0)}?utm_source=hn",
            "41000000",
            "Danish ceramics, made to order",
            "kbh_maker",
            points=87,
            comments=12,
            replies_by_others=12,
            created_at=ago(40),
        ),
        FakeShare(
            "hackernews",
            f"{article}/",
            "41100000",
            "How a small shop glazes",
            "typewriter",
            points=31,
            created_at=ago(75),
        ),
        FakeShare(
            "hackernews",
            base + P.REDIRECT_START,
            "41200000",
            "Nordic summer sale",
            "dealhound",
            points=15,
            comments=3,
            replies_by_others=3,
            created_at=ago(300),
        ),
        FakeShare(
            "hackernews",
            base + P.REDIRECT_TO_404,
            "41300000",
            "Ask HN: shop contact?",
            "oldtimer",
            points=22,
            comments=5,
            replies_by_others=5,
            created_at=ago(500),
        ),
        FakeShare(  # noindex: per-URL sources never ask about it, a domain listing finds it
            "hackernews",
            base + P.WISHLIST,
            "41400000",
            "Show HN: a shared wishlist",
            "listmaker",
            points=8,
            created_at=ago(15),
        ),
        # Lemmy: asked per page URL on each instance; one post federated to a second one
        FakeShare(
            "lemmy",
            product[1],
            "https://feddit.dk/post/48213",
            "Fin lampe fra DK",
            "hygge",
            points=42,
            comments=8,
            created_at=ago(20),
            extra=(("instance", "feddit.dk"), ("copies", "lemmy.world"), ("community", "danmark")),
        ),
        FakeShare(
            "lemmy",
            product[4],
            "https://lemmy.ml/post/99120",
            "Om glasur",
            "potter",
            points=9,
            created_at=ago(60),
            extra=(("instance", "lemmy.ml"), ("community", "crafts")),
        ),
        # Bluesky via Constellation: exact strings, the page and its www. twin are asked
        FakeShare(
            "bluesky",
            www + plan.product_path(2),
            "at://did:plc:demoreader1/app.bsky.feed.post/3kdemo1",
            "Se den her",
            "reader.bsky.social",
            points=14,
            comments=3,
            replies_by_others=2,
            reposts=3,
            quotes=1,
            created_at=ago(10),
        ),
        FakeShare(
            "bluesky",
            product[3],
            "at://did:plc:demoreader2/app.bsky.feed.post/3kdemo2",
            "Ny favorit",
            "mette.bsky.social",
            points=5,
            created_at=ago(33),
            extra=(("link", "card"),),
        ),
        FakeShare(  # a typed domain: no trailing slash; the home page asks that spelling too
            "bluesky",
            base,
            "at://did:plc:demoreader3/app.bsky.feed.post/3kdemo3",
            "Ny dansk webshop",
            "jule.bsky.social",
            points=3,
            comments=1,
            replies_by_others=1,
            created_at=ago(5),
            extra=(("link", "facet"),),
        ),
        # Wikipedia: Danish citations (English is down in the demo, so its one is unknown)
        FakeShare(
            "wikipedia",
            product[0],
            "512345",
            "Dansk keramik",
            extra=(("language", "da"), ("ns", "0")),
        ),
        FakeShare(
            "wikipedia",
            base + P.BROKEN_TARGETS[1],
            "512399",
            "Lampedesign i Danmark",
            extra=(("language", "da"), ("ns", "0")),
        ),
        FakeShare(
            "wikipedia",
            article,
            "8812001",
            "Pottery glaze",
            extra=(("language", "en"), ("ns", "0")),
        ),
        FakeShare(
            "wikipedia", product[4], "8812002", "Talk:Lamp", extra=(("language", "en"), ("ns", "1"))
        ),
        # Token sources: found only when a token is set
        FakeShare(
            "reddit",
            product[5],
            "1demo1",
            "Anyone tried this shop?",
            "throwaway_dk",
            points=120,
            comments=34,
            replies_by_others=34,
            created_at=ago(90),
            extra=(("community", "r/denmark"),),
        ),
    ]


def _captures(shop: DemoShop) -> dict[str, datetime]:
    """First Wayback captures: the shop's first pages, oldest first, and its gone pages."""
    first = datetime(2018, 3, 14, tzinfo=UTC)
    paths = list(islice(shop.paths(), CAPTURED_PAGES))
    found = {path: first + timedelta(days=37 * n) for n, path in enumerate(paths)}
    found[P.REDIRECT_TO_404] = datetime(2016, 6, 1, tzinfo=UTC)
    found[P.BROKEN_TARGETS[1]] = datetime(2017, 2, 20, tzinfo=UTC)
    return found


def _counts(shop: DemoShop, base: str) -> dict[str, dict[str, int]]:
    """Pinterest saves and Facebook engagement for the first products (asked by exact URL)."""
    plan = shop.plan
    saves = (48, 12, 0, 7)
    return {
        base + plan.product_path(i): {
            "pinterest": saved,
            "facebook_reactions": 3 * saved,
            "facebook_shares": saved // 2,
        }
        for i, saved in zip(range(plan.products), saves, strict=False)
    }
