"""Requests benchmark: what the ``signals`` step asks for a 10,000-page shop, per source.

Serves a generated demo shop and the demo signal fakes (``unsilo.signals.demo``) on
127.0.0.1 and runs ``scrapy crawl signals`` with every indexable page of the shop, all
default sources and the default per-URL budget. The pages go in the shop's own order: the
order decides which pages a budget covers, not how many requests are made.

Prints the requests per source twice — as the fake received them (its request log,
grouped by each source's paths) and as the run recorded them (``signal_sources.requests``)
— beside the naive cost of one question per page and source. Domain-first sources (Hacker
News, Wikipedia, Wayback) cost a few calls whatever the shop's size; per-URL ones are
capped by the budget; the figures show by how much.

The fakes are local, so every source is unpaced (``demo_signal_slots``): the wall time is
the driver's, not the real services' politeness delays.

    python bench/signals_requests.py                  # 10,000 pages
    python bench/signals_requests.py --pages 2000 --budget 50
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from unsilo.demo.expectations import build_expectations
from unsilo.demo.server import DemoServer
from unsilo.demo.shop import DemoShop
from unsilo.signals.demo import demo_signal_server, demo_signal_slots
from unsilo.signals.facebook import GRAPH_VERSION
from unsilo.signals.registry import DEFAULT_SOURCES

ROOT = Path(__file__).resolve().parent.parent
# Which source a fake path belongs to: the first matching prefix wins
SOURCE_PATHS: tuple[tuple[str, str], ...] = (
    ("/api/v1/access_token", "reddit"),
    ("/api/v1/search", "hackernews"),
    ("/v0/item/", "hackernews"),
    ("/lemmy/", "lemmy"),
    ("/links/all", "bluesky"),
    ("/xrpc/blue.microcosm.", "bluesky"),
    ("/xrpc/app.bsky.feed.getPost", "bluesky"),  # getPosts and getPostThread
    ("/xrpc/com.atproto.server.createSession", "bluesky_search"),
    ("/xrpc/app.bsky.feed.searchPosts", "bluesky_search"),
    ("/wiki/", "wikipedia"),
    ("/cdx/", "wayback"),
    ("/v1/urls/count.json", "pinterest"),
    ("/search", "reddit"),
    ("/api/info", "reddit"),
    (f"/{GRAPH_VERSION}/", "facebook"),
    ("/domains/", "lobsters"),
    ("/api/posts/search", "arctic_shift"),
)


def source_of(raw_path: str) -> str:
    path = urlsplit(raw_path).path
    return next((name for prefix, name in SOURCE_PATHS if path.startswith(prefix)), "unknown")


def indexable_paths(shop: DemoShop) -> list[str]:
    """The shop's pages in its own order, without those kept out of search (noindex, or
    canonical elsewhere): the pages an audit hands the per-URL sources."""
    truth = build_expectations(shop)
    hidden = {*truth["noindex_meta"], *truth["noindex_header"], *truth["canonical_elsewhere"]}
    return [path for path in shop.paths() if path not in hidden]


def run_signals(pages: int, budget: int, work: Path) -> tuple[int, Counter, dict, float]:
    """Pages handed over, fake-side request counts per source, the run's
    ``signal_sources`` rows, and the crawl's seconds."""
    shop = DemoShop(pages=pages, seed=7)
    db = work / "signals.duckdb"
    with DemoServer(shop) as server, demo_signal_server(shop, server.url) as fake:
        base = server.url.rstrip("/")
        page_file = work / "pages.json"  # 10,000 URLs are too long for one argument
        handed = [base + path for path in indexable_paths(shop)]
        page_file.write_text(json.dumps(handed))
        command = [
            *(sys.executable, "-m", "scrapy", "crawl", "signals"),
            *("-a", f"site={server.url}", "-a", f"pages=@{page_file}"),
            *("-a", f"endpoints={json.dumps({'local': fake.url})}"),
            *("-s", f"UNSILO_DB={db}", "-s", f"UNSILO_SIGNALS_URL_BUDGET={budget}"),
            *("-s", f"DOWNLOAD_SLOTS={json.dumps(demo_signal_slots())}"),
            *("-s", "LOG_LEVEL=WARNING", "-s", "RETRY_TIMES=0"),
        ]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"signals crawl failed:\n{done.stderr[-3000:]}")
        seen = Counter(source_of(path) for path in fake.requests)
    con = duckdb.connect(str(db), read_only=True)
    try:
        recorded = {
            row[0]: row[1:]
            for row in con.execute(
                "select source, requests, status, urls_asked, urls_wanted, found, reason"
                " from signal_sources"
            ).fetchall()
        }
    finally:
        con.close()
    return len(handed), seen, recorded, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000, help="demo shop size")
    parser.add_argument("--budget", type=int, default=200, help="per-URL questions a source")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unsilo-signals-bench-") as tmp:
        handed, seen, recorded, seconds = run_signals(args.pages, args.budget, Path(tmp))
    print(f"{args.pages:,}-page shop: {handed:,} indexable pages handed over, ", end="")
    print(f"per-URL budget {args.budget}, {seconds:.1f} s wall\n")
    print(f"{'source':<15} {'fake log':>9} {'recorded':>9} {'pages asked':>12}  status, found")
    for name in DEFAULT_SOURCES:
        requests, status, asked, wanted, found, _ = recorded.get(name, (0, "—", 0, 0, 0, None))
        pages_asked = f"{asked}/{wanted}" if wanted else "domain" if requests else "—"
        print(
            f"{name:<15} {seen.get(name, 0):>9,} {requests:>9,} {pages_asked:>12}  "
            f"{status}, {found} found"
        )
    if seen.get("unknown"):
        print(f"{'(unmatched)':<15} {seen['unknown']:>9,}")
    for name in DEFAULT_SOURCES:
        if name in recorded and recorded[name][5]:
            print(f"  {name}: {recorded[name][5]}")
    total_seen, total_recorded = sum(seen.values()), sum(r[0] for r in recorded.values())
    naive = handed * len(DEFAULT_SOURCES)
    print(f"\n{'total':<15} {total_seen:>9,} {total_recorded:>9,}")
    print(f"naive: {handed:,} pages × {len(DEFAULT_SOURCES)} sources = {naive:,} requests")
    fewer = naive / max(total_recorded, 1)
    print(f"asked: {total_recorded / naive:.2%} of naive ({fewer:.0f}× fewer)")


if __name__ == "__main__":
    main()
