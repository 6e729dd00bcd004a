"""`-s JOBDIR=…` names unsilo's job folder; Scrapy's own request queue and seen-file stay off.

They mark a URL seen when it is scheduled and a hard kill leaves them half written: with
them on, a resumed crawl dropped linked pages as "seen" and fetched restored requests twice.
"""

from __future__ import annotations

import pytest
from scrapy.crawler import CrawlerRunner

from unsilo.crawl import project_settings
from unsilo.spiders.shop import ShopSpider
from unsilo.spiders.social import SocialSpider


@pytest.mark.parametrize("spider", [ShopSpider, SocialSpider])
def test_jobdir_stays_off_when_scrapy_merges_the_runner_settings_again(spider) -> None:
    runner = CrawlerRunner(project_settings({"JOBDIR": "crawls/shop-1"}))
    crawler = runner.create_crawler(spider)
    # what `scrapy crawl` and the CLI do: hand the runner a crawler, whose settings then
    # get the runner's merged in again, after the spider's update_settings
    assert runner.create_crawler(crawler) is crawler
    assert crawler.settings["JOBDIR"] is None
    assert crawler.settings["UNSILO_JOBDIR"] == "crawls/shop-1"
