"""Crawl benchmark: the ``shop`` spider against a bare spider that extracts nothing.

All crawl the same generated demo shop, served by a separate process on 127.0.0.1, with the
same settings, one after the other in one run (these machines are noisy, so only figures
measured side by side mean anything). The shop spider runs twice: storing into a feed job
folder (``scrapy crawl shop`` without a database, as on Scrapyd) and into an embedded DuckDB
file (``-s UNSILO_DB=…``, as the CLI does). Prints pages/s and peak RSS per run and shop size,
the ratios the design targets (pages/s ≥ 95% of bare, peak RSS ≤ 1.3× bare), the memory
growth between sizes, and the time to analyse and render the report of the first size.

    python bench/crawl_bench.py                 # 10,000 and 50,000 pages
    python bench/crawl_bench.py --pages 2000    # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMON_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",  # our own server on loopback: no need to back off
    "LOG_LEVEL": "WARNING",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
}


@dataclass
class Measure:
    spider: str
    pages: int
    seconds: float
    peak_rss_mb: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def serve(pages: int) -> tuple[subprocess.Popen[str], str]:
    """Start the demo shop in its own process; its first stdout line is its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "unsilo.demo", "--pages", str(pages), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.kill()
        raise SystemExit(f"demo server did not start (said {url!r})")
    return proc, url


def measured_run(name: str, cmd: list[str], stats_file: Path) -> Measure:
    """Run ``cmd`` as a child and read its peak RSS from the kernel (wait4), stats from JSON."""
    proc = subprocess.Popen(cmd, cwd=ROOT)
    _pid, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{name} crawl exited with status {status}")
    stats = json.loads(stats_file.read_text())
    return Measure(
        spider=name,
        pages=int(stats.get("response_received_count", 0)),
        seconds=float(stats.get("elapsed_time_seconds", 0.0)),
        peak_rss_mb=usage.ru_maxrss / 1024,
    )


def settings_args(extra: dict[str, str]) -> list[str]:
    args: list[str] = []
    for name, value in {**COMMON_SETTINGS, **extra}.items():
        args += ["-s", f"{name}={value}"]
    return args


def bench_size(pages: int, work: Path) -> tuple[Measure, Measure, Measure, Path]:
    server, url = serve(pages)
    try:
        bare_stats, shop_stats = work / f"bare-{pages}.json", work / f"shop-{pages}.json"
        db = work / f"shop-{pages}.duckdb"
        bare = measured_run(
            "bare",
            [
                sys.executable,
                "-m",
                "scrapy",
                "runspider",
                "bench/bare_spider.py",
                "-a",
                f"url={url}",
            ]
            + settings_args({"UNSILO_STATS_FILE": str(bare_stats), "ITEM_PIPELINES": "{}"}),
            bare_stats,
        )
        feed_stats = work / f"feed-{pages}.json"
        feed = measured_run(
            "shop+feed",
            [sys.executable, "-m", "scrapy", "crawl", "shop", "-a", f"url={url}"]
            + settings_args(
                {"UNSILO_STATS_FILE": str(feed_stats), "UNSILO_FEED_DIR": str(work / "feeds")}
            ),
            feed_stats,
        )
        shop = measured_run(
            "shop+duckdb",
            [sys.executable, "-m", "scrapy", "crawl", "shop", "-a", f"url={url}"]
            + settings_args({"UNSILO_STATS_FILE": str(shop_stats), "UNSILO_DB": str(db)}),
            shop_stats,
        )
    finally:
        server.terminate()
        server.wait()
    return bare, feed, shop, db


def time_report(db: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "unsilo", "report", "--db", str(db), "--out", str(out)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10_000, 50_000])
    args = parser.parse_args()
    results: list[tuple[int, Measure, Measure]] = []
    with tempfile.TemporaryDirectory(prefix="unsilo-bench-") as tmp:
        work = Path(tmp)
        report_seconds = None
        for n in args.pages:
            bare, feed, shop, db = bench_size(n, work)
            results.append((n, bare, shop))
            print(
                f"{n:>7} pages | bare        {bare.pages_per_second:6.1f} p/s "
                f"{bare.peak_rss_mb:5.0f} MB ({bare.pages} responses)",
                flush=True,
            )
            for run in (feed, shop):
                print(
                    f"{n:>7} pages | {run.spider:<11} {run.pages_per_second:6.1f} p/s "
                    f"{run.peak_rss_mb:5.0f} MB | vs bare: pages/s "
                    f"{run.pages_per_second / bare.pages_per_second:6.1%} (target ≥ 95%), "
                    f"peak RSS {run.peak_rss_mb / bare.peak_rss_mb:4.2f}× (target ≤ 1.3×)",
                    flush=True,
                )
            if report_seconds is None:
                report_seconds = time_report(db, work / "report")
                print(f"analyse + render report of the {n}-page run: {report_seconds:.1f} s")
    if len(results) > 1:
        (n0, _, first), (n1, _, last) = results[0], results[-1]
        growth = last.peak_rss_mb / first.peak_rss_mb - 1
        print(
            f"shop peak RSS {n0} → {n1} pages: {first.peak_rss_mb:.0f} → "
            f"{last.peak_rss_mb:.0f} MB ({growth:+.0%})"
        )


if __name__ == "__main__":
    main()
