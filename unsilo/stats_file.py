"""A Scrapy extension that writes the crawl's stats as JSON when the spider closes.

Enabled by ``-s UNSILO_STATS_FILE=path``; cron jobs and the benchmark read pages/s and
finish reasons from it instead of scraping log lines, and ``unsilo load --stats`` judges an
``-o items.jsonl`` feed with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class StatsFile:
    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = Path(path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsFile:
        path = crawler.settings.get("UNSILO_STATS_FILE")
        if not path:
            raise NotConfigured
        ext = cls(crawler, path)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        from unsilo.pipeline.run_scope import crawl_scope

        stats: dict[str, Any] = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        stats["finish_reason"] = reason
        # what the crawl was asked to do, so `unsilo load --stats` records the same scope
        stats["unsilo/scope"] = crawl_scope(
            self.crawler.settings,
            spider=spider.name,
            start_url=str(getattr(spider, "start_url", "") or ""),
            sitemaps=bool(getattr(spider, "read_sitemaps", False)),
        )
        self.path.write_text(json.dumps(stats, default=str, indent=1), encoding="utf-8")
