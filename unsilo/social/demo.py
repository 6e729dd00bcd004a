"""The demo shop's social accounts: a ``FakeSocialServer`` whose posts link real demo pages.

``unsilo audit --demo`` serves it beside the demo shop so the report's social sections
are filled; the handles are the ones the demo footer links (``unsilo.demo.layout``).
"""

from __future__ import annotations

from itertools import islice

from unsilo import clock
from unsilo.demo.shop import DemoShop
from unsilo.social.fakes import FakeSocialServer

LINKED_PAGES = 12  # distinct shop pages the posts cycle through: some coverage, not all


def demo_social_server(shop: DemoShop, shop_url: str) -> FakeSocialServer:
    """A fake (not yet started: use it in a ``with`` block) for ``shop`` served at ``shop_url``.

    Posts are anchored at now, so a 90-day window sees them all.
    """
    paths = tuple(islice(shop.paths(), LINKED_PAGES)) or ("/",)
    return FakeSocialServer(
        shop_url.rstrip("/"),
        paths=paths,
        bluesky_handle="nordlysgoods.example",
        mastodon_username="nordlysgoods",
        youtube_handle="nordlysgoods",
        anchor=clock.now().replace(microsecond=0),
    )
