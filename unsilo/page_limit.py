"""``CLOSESPIDER_PAGECOUNT`` that counts the shop's fetches only, not its og:image probes.

Scrapy's ``CloseSpider`` counts every response. The shop spider probes its pages' share
images after the last page (``unsilo.spiders.og_images``); counted, they would end a run that
fetched fewer pages than its limit as "stopped at the page limit" (a partial run) and stop
the probes half way. Everything counted before the probes is counted exactly as before.

The limit is the shop crawl's (``--max-pages``): the follow-up spiders of an audit (social
profiles, signals) run in the same process with the same settings, and counted, a
100-page audit would stop its signals step after 100 API answers. They have budgets of
their own (``UNSILO_SIGNALS_URL_BUDGET``, ``UNSILO_SIGNALS_MAX_REQUESTS``).
"""

from __future__ import annotations

from scrapy import Spider
from scrapy.extensions.closespider import CloseSpider
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings

SHOP_SPIDER = "shop"
"""The one spider whose responses are shop pages that the page limit counts."""


class ShopPageLimit(CloseSpider):
    """Scrapy's ``CloseSpider``, counting only the shop spider's pages, and blind to
    responses once it is probing og:images."""

    def page_count(self, response: Response, request: Request, spider: Spider) -> None:
        if spider.name != SHOP_SPIDER:
            return  # the social and signals steps: API answers, with budgets of their own
        if getattr(spider, "probing_og_images", False):
            return  # probes and the robots.txt of image hosts: no shop pages
        super().page_count(response, request, spider)


def drop_click_bounds(settings: BaseSettings) -> None:
    """No ``DEPTH_LIMIT`` for a spider that walks APIs (social, signals), whatever was given.

    The depth bound (``--max-depth``, default 50) counts clicks from the shop's start page.
    An API walk's "depth" is a chain of follow-up calls (one per page of results, one per
    page asked about) and says nothing about a trap; bounded by it, a source's answers
    would be dropped silently half way. Set at command-line priority, so an ``-s`` or
    ``--max-depth`` meant for the shop crawl in the same process does not reach it either.
    """
    settings.set("DEPTH_LIMIT", 0, priority="cmdline")
