"""A synthetic crawl of N pages, written as both feeds a crawl leaves behind.

For ``bench/load_bench.py``: Scrapy's own ``-o items.jsonl`` (one ``PageRecord`` line per
page, ~100 links each, then the sitemap rows) and a feed job folder written by the real
``ItemStore`` (as on Scrapyd), plus the crawl's ``stats.json``. Pages are Danish product
pages with the fields a real extraction fills, made and written page by page: only the
list of URLs grows with N.

    python bench/synthetic_feed.py OUT_DIR --pages 200000 --links 100
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from unsilo.demo.words import BASE_CATEGORIES, mix, slugify  # noqa: E402
from unsilo.items import (  # noqa: E402
    LinkItem,
    MetaProperty,
    PageItem,
    PageRecord,
    PageSocialItem,
    ProfileLinkItem,
    ShareLink,
    SitemapUrlItem,
)
from unsilo.pipeline.feeds import RUN_FILE, STATS_FILE, serialize, write_json  # noqa: E402
from unsilo.pipeline.store import ItemStore  # noqa: E402

SITE = "https://shop.example"
RUN_ID = "2026-11-24T090000Z-bench0"
PROFILE = "https://www.instagram.com/nordiskhjem"
CHUNK = 500  # pages serialised per write: bounds the generator's own memory


def catalogue(pages: int) -> list[tuple[str, str]]:
    """Every page's (URL, product name), e.g. ``…/keramik/skaal-fjord-123``, ``Skål Fjord 123``.

    Page 0 is the home page, the start URL. Made once: links pick their targets from it.
    """
    shop = [(SITE + "/", "Nordisk Hjem")]
    for i in range(1, pages):
        category = BASE_CATEGORIES[i % len(BASE_CATEGORIES)]
        noun = category.nouns[(i // len(BASE_CATEGORIES)) % len(category.nouns)]
        name = f"{noun} {('Fjord', 'Sand', 'Birk', 'Hav', 'Lyng')[i % 5]} {i}"
        shop.append((f"{SITE}/{category.slug}/{slugify(name)}", name))
    return shop


def record(i: int, shop: list[tuple[str, str]], links: int) -> PageRecord:
    """Page ``i`` with ``links`` links: shop chrome (the first pages) and related products."""
    url, name = shop[i]
    step = mix(7, 1, i) % len(shop) or 1
    targets = [shop[n if n < 20 else (i + n * step) % len(shop)] for n in range(links)]
    page = PageItem(
        url=url,
        url_key=url,
        final_url=url,
        final_url_key=url,
        status=200,
        content_type="text/html; charset=utf-8",
        is_html=True,
        encoding="utf-8",
        response_ms=float(40 + i % 300),
        size_bytes=48_000 + i % 9_000,
        depth=0 if i == 0 else 1 + i % 6,
        referrer=None if i == 0 else SITE + "/",
        found_via="start" if i == 0 else "link",
        fetched_at="2026-11-24T09:00:00Z",
        title=f"{name} | Nordisk Hjem",
        title_count=1,
        meta_description=f"Køb {name} online. Fri fragt over 499 kr.",
        meta_description_count=1,
        canonical=url,
        canonical_key=url,
        canonicals=[url],
        lang="da",
        h1=[name],
        h2=["Beskrivelse", "Levering", "Relaterede produkter"],
        word_count=350 + i % 400,
        images=12,
        images_missing_alt=i % 3,
        internal_links=links,
        structured_data_types=["Product", "BreadcrumbList"],
    )
    social = PageSocialItem(
        url_key=url,
        og=[MetaProperty("og:title", name), MetaProperty("og:url", url)],
        twitter=[MetaProperty("twitter:card", "summary_large_image")],
        share_links=[ShareLink("facebook", f"https://www.facebook.com/sharer.php?u={url}")],
        same_as=[PROFILE],
    )
    return PageRecord(
        page=page,
        links=[LinkItem(url, target, target, anchor) for target, anchor in targets],
        social=social if i % 2 == 0 else None,
        profile_links=[ProfileLinkItem(url, "instagram", "nordiskhjem", PROFILE, "link")],
    )


def write_feeds(work: Path, pages: int, links: int) -> tuple[Path, Path, Path]:
    """Stream the same items into ``items.jsonl`` and a job folder: (items, stats, job)."""
    items_file, stats_file, job = work / "items.jsonl", work / "stats.json", work / "job"
    store = ItemStore(None, RUN_ID, feed_dir=job)  # the writer a Scrapyd job uses
    with items_file.open("wb") as out, store:
        chunk: list[object] = []
        for item in _items(pages, links):
            store.add(item)
            chunk.append(item)
            if len(chunk) == CHUNK:
                out.write(serialize(chunk))
                chunk = []
        out.write(serialize(chunk))
    scope = {"spider": "shop", "start_url": SITE + "/"}
    meta = {"run_id": RUN_ID, "start_url": SITE + "/", "site": "shop.example", "scope": scope}
    write_json(job / RUN_FILE, meta)
    stats = {"finish_reason": "finished", "response_received_count": pages, "unsilo/scope": scope}
    write_json(job / STATS_FILE, stats)
    write_json(stats_file, stats)
    return items_file, stats_file, job


def _items(pages: int, links: int) -> Iterator[object]:
    """Every page's record, then the sitemap rows: the order a crawl's feed has them in."""
    shop = catalogue(pages)
    for i in range(pages):
        yield record(i, shop, links)
    for i, (url, _name) in enumerate(shop):
        yield SitemapUrlItem(url, url, f"{SITE}/sitemap-{i // 50_000 + 1}.xml", "2026-11-01")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=200_000)
    parser.add_argument("--links", type=int, default=100, help="links per page")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    write_feeds(args.out, args.pages, args.links)


if __name__ == "__main__":
    main()
