"""Feed job folders for the load tests, written by the real writer (``ItemStore`` without a
database, ``write_json``), laid out as a Scrapyd job or a plain ``scrapy crawl`` leaves them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from unsilo.items import LinkItem, PageItem, PageRecord, PageSocialItem, SitemapUrlItem
from unsilo.pipeline.feeds import RUN_FILE, STATS_FILE, write_json
from unsilo.pipeline.store import ItemStore

SITE = "https://shop.example"
FINISHED: dict[str, Any] = {"finish_reason": "finished", "response_received_count": 3}


def shop_items(pages: int = 3) -> list[object]:
    """A small crawl's items: the start page and products, each linking on, plus sitemap rows."""
    urls = [f"{SITE}/"] + [f"{SITE}/p/{n}" for n in range(1, pages)]
    items: list[object] = []
    for n, url in enumerate(urls):
        page = PageItem(
            url,
            url,
            url,
            url,
            200,
            content_type="text/html",
            is_html=True,
            depth=min(n, 1),
            found_via="start" if n == 0 else "link",
            title=f"Vare {n} — Größe M",
            h1=[f"Vare {n}"],
        )
        targets = [urls[(n + k) % len(urls)] for k in (1, 2)]
        links = [
            LinkItem(url, t, t, f"til {t}", rel=["ugc"] if k else []) for k, t in enumerate(targets)
        ]
        social = PageSocialItem(url, web_share_api=True) if n % 2 == 0 else None
        items.append(PageRecord(page=page, links=links, social=social))
    items += [SitemapUrlItem(u, u, f"{SITE}/sitemap.xml", "2026-11-01") for u in urls]
    return items


def write_job(
    root: Path,
    run_id: str,
    items: list[object],
    *,
    stats: dict[str, Any] | None = FINISHED,
    max_pages: int | None = None,
) -> Path:
    """A job folder ``root/run_id`` holding ``items`` in batches of two pages; its path.

    ``stats`` None leaves no ``stats.json``: a crawl that was killed or is still running.
    """
    job = root / run_id
    with ItemStore(None, run_id, batch_size=2, feed_dir=job) as store:
        for item in items:
            store.add(item)
    scope = {"spider": "shop", "start_url": f"{SITE}/", "max_pages": max_pages}
    meta = {
        "run_id": run_id,
        "start_url": f"{SITE}/",
        "site": "shop.example",
        "started_at": "2026-11-24T09:00:00",
        "scope": scope,
    }
    write_json(job / RUN_FILE, meta)
    if stats is not None:
        write_json(job / STATS_FILE, stats)
    return job
