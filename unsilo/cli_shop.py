"""The shop a crawl command audits: the URL given (checked before anything is fetched), or
with ``--demo`` the bundled demo shop and local fakes of its social and signal APIs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import click

from unsilo.cli_options import EXIT_USAGE, fail
from unsilo.cli_output import record_failure
from unsilo.cli_requests import Endpoints


@contextlib.contextmanager
def shop_url(
    url: str | None, demo: bool, demo_pages: int, db_path: Path
) -> Iterator[tuple[str, Endpoints, Endpoints]]:
    """The URL to crawl and the social and signal API base URLs (None: the real ones).

    With ``--demo``: the demo shop, local fakes of its social profiles' APIs and local fakes
    of the signal sources, served on 127.0.0.1 for as long as the crawl runs.
    """
    from unsilo.urls import is_http_url

    if demo:
        from unsilo.demo.server import DEMO_PORT, DemoServer
        from unsilo.demo.shop import DemoShop
        from unsilo.signals.demo import demo_signal_server
        from unsilo.social.demo import demo_social_server

        shop = DemoShop(pages=demo_pages, seed=7)
        with (
            DemoServer(shop, port=DEMO_PORT, any_port_if_taken=True) as server,
            demo_social_server(shop, server.url) as social,
            demo_signal_server(shop, server.url) as sources,
        ):
            click.echo(f"demo shop ({demo_pages} pages) served at {server.url}", err=True)
            click.echo(f"its social profiles' APIs (local fakes) at {social.url}", err=True)
            click.echo(f"the signal sources (local fakes) at {sources.url}", err=True)
            yield server.url, {"local": social.url}, {"local": sources.url}
        return
    if not url:
        fail("give a shop URL (e.g. unsilo audit https://shop.example) or --demo", EXIT_USAGE)
    if not is_http_url(url):
        message = f"not an http(s) URL: {url!r} (e.g. https://shop.example)"
        record_failure(db_path, url, message)
        fail(message, EXIT_USAGE)
    yield url.strip(), None, None
