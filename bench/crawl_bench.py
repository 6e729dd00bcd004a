"""Crawl benchmark: the ``shop`` spider against a bare spider that extracts nothing.

All crawl the same generated demo shop, served by a separate process on 127.0.0.1, with the
same settings, one after the other in one run (these machines are noisy, so only figures
measured side by side mean anything). The shop spider runs twice: storing into a feed job
folder (``scrapy crawl shop`` without a database, as on Scrapyd) and into an embedded DuckDB
file (``-s UNSILO_DB=…``, as the CLI does). Prints pages/s and peak RSS per run and shop size,
the ratios the design targets (pages/s ≥ 95% of bare, peak RSS ≤ 1.3× bare), the memory
growth between sizes, and the time to analyse and render the report of the first size.

``--also LABEL=DIR`` adds the shop spider of another checkout (say an older commit in a
``git worktree`` with its own ``.venv``), run the same way in the same round, so what a change
costs is measured side by side rather than against a figure from another day. ``--rounds N``
repeats every run N times, interleaved, and reports each run's median pages/s and peak RSS.
Each run also prints its CPU time per page (user + system, from the kernel): on a shared,
busy machine the wall-clock pages/s drift with the load, the work per page much less.

    python bench/crawl_bench.py                 # 10,000 and 50,000 pages
    python bench/crawl_bench.py --pages 2000    # a quick look
    python bench/crawl_bench.py --pages 5000 --rounds 3 --also old=/tmp/unsilo-old
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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
    cpu_seconds: float = 0.0  # user + system: the work per page, steadier than wall time

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages if self.pages else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Checkout:
    """Where a shop spider comes from: this checkout, or another one with its own venv."""

    label: str
    root: Path
    python: str


def other_checkout(spec: str) -> Checkout:
    """``LABEL=DIR`` → that checkout, run by ``DIR/.venv/bin/python`` from ``DIR``."""
    label, sep, folder = spec.partition("=")
    root = Path(folder).resolve()
    python = root / ".venv" / "bin" / "python"
    if not sep or not label or not python.exists():
        raise argparse.ArgumentTypeError(f"want LABEL=DIR with DIR/.venv/bin/python, got {spec!r}")
    return Checkout(label, root, str(python))


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


def measured_run(name: str, cmd: list[str], stats_file: Path, cwd: Path = ROOT) -> Measure:
    """Run ``cmd`` as a child and read its peak RSS from the kernel (wait4), stats from JSON."""
    proc = subprocess.Popen(cmd, cwd=cwd)
    _pid, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{name} crawl exited with status {status}")
    stats = json.loads(stats_file.read_text())
    return Measure(
        spider=name,
        pages=int(stats.get("response_received_count", 0)),
        seconds=float(stats.get("elapsed_time_seconds", 0.0)),
        peak_rss_mb=usage.ru_maxrss / 1024,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
    )


def settings_args(extra: dict[str, str]) -> list[str]:
    args: list[str] = []
    for name, value in {**COMMON_SETTINGS, **extra}.items():
        args += ["-s", f"{name}={value}"]
    return args


def shop_runs(checkout: Checkout, url: str, work: Path, tag: str) -> tuple[Measure, Measure, Path]:
    """The shop spider of ``checkout`` into a feed folder, then into a DuckDB file."""
    prefix = f"{checkout.label} " if checkout.label != "shop" else "shop+"
    cmd = [checkout.python, "-m", "scrapy", "crawl", "shop", "-a", f"url={url}"]
    feed_stats, db_stats = work / f"{tag}-feed.json", work / f"{tag}-db.json"
    db = work / f"{tag}.duckdb"
    feed_settings = {"UNSILO_STATS_FILE": str(feed_stats), "UNSILO_FEED_DIR": str(work / tag)}
    feed = measured_run(
        f"{prefix}feed", cmd + settings_args(feed_settings), feed_stats, checkout.root
    )
    db_settings = {"UNSILO_STATS_FILE": str(db_stats), "UNSILO_DB": str(db)}
    shop = measured_run(
        f"{prefix}duckdb", cmd + settings_args(db_settings), db_stats, checkout.root
    )
    return feed, shop, db


def bench_round(
    pages: int, url: str, work: Path, checkouts: list[Checkout], round_no: int
) -> tuple[list[Measure], Path]:
    """A bare run and each checkout's two shop runs, back to back; the first DB is reported."""
    bare_stats = work / f"bare-{pages}-{round_no}.json"
    bare = measured_run(
        "bare",
        [sys.executable, "-m", "scrapy", "runspider", "bench/bare_spider.py", "-a", f"url={url}"]
        + settings_args({"UNSILO_STATS_FILE": str(bare_stats), "ITEM_PIPELINES": "{}"}),
        bare_stats,
    )
    runs, dbs = [bare], []
    for i, checkout in enumerate(checkouts):
        feed, shop, db = shop_runs(checkout, url, work, f"{pages}-{round_no}-{i}")
        runs += [feed, shop]
        dbs.append(db)
    return runs, dbs[0]


def median_measure(runs: list[Measure]) -> Measure:
    """One run's figures over the rounds: the median of pages/s, peak RSS and CPU time."""
    pps = statistics.median(r.pages_per_second for r in runs)
    pages = runs[0].pages
    return Measure(
        runs[0].spider,
        pages,
        pages / pps if pps else 0.0,
        statistics.median(r.peak_rss_mb for r in runs),
        statistics.median(r.cpu_seconds for r in runs),
    )


def bench_size(
    pages: int, work: Path, checkouts: list[Checkout], rounds: int
) -> tuple[list[Measure], Path]:
    server, url = serve(pages)
    try:
        per_round = []
        for round_no in range(rounds):
            runs, db = bench_round(pages, url, work, checkouts, round_no)
            per_round.append(runs)
            if rounds > 1:
                print(
                    f"  round {round_no + 1}: "
                    + ", ".join(
                        f"{r.spider} {r.pages_per_second:.1f} p/s {r.peak_rss_mb:.0f} MB "
                        f"{r.cpu_ms_per_page:.2f} ms CPU"
                        for r in runs
                    ),
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait()
    return [median_measure(list(same)) for same in zip(*per_round, strict=True)], db


def time_report(db: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "unsilo", "report", "--db", str(db), "--out", str(out)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def print_size(n: int, runs: list[Measure]) -> None:
    bare, *shops = runs
    print(
        f"{n:>7} pages | {'bare':<16} {bare.pages_per_second:6.1f} p/s "
        f"{bare.peak_rss_mb:5.0f} MB {bare.cpu_ms_per_page:5.2f} ms CPU/page "
        f"({bare.pages} responses)",
        flush=True,
    )
    for run in shops:
        print(
            f"{n:>7} pages | {run.spider:<16} {run.pages_per_second:6.1f} p/s "
            f"{run.peak_rss_mb:5.0f} MB {run.cpu_ms_per_page:5.2f} ms CPU/page | vs bare: pages/s "
            f"{run.pages_per_second / bare.pages_per_second:6.1%} (target ≥ 95%), "
            f"peak RSS {run.peak_rss_mb / bare.peak_rss_mb:4.2f}× (target ≤ 1.3×), "
            f"CPU/page {run.cpu_ms_per_page / bare.cpu_ms_per_page:4.2f}×",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--rounds", type=int, default=1, help="repeat each run; report medians")
    parser.add_argument(
        "--also",
        type=other_checkout,
        action="append",
        default=[],
        metavar="LABEL=DIR",
        help="also run the shop spider of the checkout in DIR (with DIR/.venv), side by side",
    )
    parser.add_argument("--no-report", action="store_true", help="skip timing the report")
    args = parser.parse_args()
    checkouts = [Checkout("shop", ROOT, sys.executable), *args.also]
    results: list[tuple[int, Measure]] = []
    with tempfile.TemporaryDirectory(prefix="unsilo-bench-") as tmp:
        work = Path(tmp)
        report_seconds = None
        for n in args.pages:
            runs, db = bench_size(n, work, checkouts, max(1, args.rounds))
            results.append((n, runs[2]))
            print_size(n, runs)
            if report_seconds is None and not args.no_report:
                report_seconds = time_report(db, work / "report")
                print(f"analyse + render report of the {n}-page run: {report_seconds:.1f} s")
    if len(results) > 1:
        (n0, first), (n1, last) = results[0], results[-1]
        growth = last.peak_rss_mb / first.peak_rss_mb - 1
        print(
            f"shop peak RSS {n0} → {n1} pages: {first.peak_rss_mb:.0f} → "
            f"{last.peak_rss_mb:.0f} MB ({growth:+.0%})"
        )


if __name__ == "__main__":
    main()
