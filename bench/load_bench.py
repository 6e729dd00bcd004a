"""Load benchmark: `unsilo load` of a big synthetic crawl, as an items file and a job folder.

The target (issue "One run owner and a straight flow"): a 200,000-page feed, one JSON line
per page with ~100 links each, loads with peak RSS under 500 MB. ``synthetic_feed.py``
writes the crawl in both forms a crawl leaves behind (Scrapy's ``-o items.jsonl`` and a
feed job folder); each is then loaded by ``python -m unsilo load`` in a child process,
and its wall time, pages/s and peak RSS are printed.

Peak RSS is the kernel's ``ru_maxrss`` of the child (``wait4``). Linux carries the
high-water mark of the process that forked the child across ``exec``, so this script
stays small: it imports nothing beyond the standard library, and the feeds are generated
in a child of their own.

    python bench/load_bench.py                          # 200,000 pages, both forms
    python bench/load_bench.py --pages 20000 --form items
    python bench/load_bench.py --keep /data/feeds       # keep the feeds; --feeds reuses them
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = "https://shop.example/"


@dataclass
class Measure:
    form: str
    pages: int
    seconds: float
    peak_rss_mb: float
    output: str

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def measured_load(form: str, args: list[str], db: Path) -> Measure:
    """Run ``python -m unsilo load ARGS --db DB`` as a child; wall time and its peak RSS."""
    cmd = [sys.executable, "-m", "unsilo", "load", *args, "--db", str(db)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=HERE.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace").strip()
    _pid, status, usage = os.wait4(proc.pid, 0)  # ru_maxrss: KB on Linux
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    loaded = re.search(r"loaded (\d+) pages", output)
    if proc.returncode != 0 or loaded is None:
        raise SystemExit(f"unsilo load ({form}) exited {proc.returncode}:\n{output}")
    return Measure(form, int(loaded.group(1)), seconds, usage.ru_maxrss / 1024, output)


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def generate(work: Path, pages: int, links: int) -> None:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(HERE / "synthetic_feed.py"), str(work), "--pages", str(pages)]
        + ["--links", str(links)],
        check=True,
    )
    print(
        f"generated {pages} pages x {links} links in {time.perf_counter() - started:.0f} s: "
        f"items file {size_mb(work / 'items.jsonl'):,.0f} MB, "
        f"job folder {size_mb(work / 'job'):,.0f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200_000)
    parser.add_argument("--links", type=int, default=100, help="links per page")
    parser.add_argument("--form", choices=["items", "job", "both"], default="both")
    feeds = parser.add_mutually_exclusive_group()
    feeds.add_argument("--keep", type=Path, help="write the feeds into this folder and keep them")
    feeds.add_argument("--feeds", type=Path, help="load the feeds an earlier --keep wrote")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unsilo-load-bench-") as tmp:
        work = args.feeds or args.keep or Path(tmp)
        if args.feeds is None:
            work.mkdir(parents=True, exist_ok=True)
            generate(work, args.pages, args.links)
        stats = json.loads((work / "stats.json").read_text(encoding="utf-8"))
        print(f"{stats['response_received_count']} pages in {work}", flush=True)
        loads = {
            "items": [
                "--url",
                SITE,
                "--stats",
                str(work / "stats.json"),
                str(work / "items.jsonl"),
            ],
            "job": [str(work / "job")],
        }
        for form, load_args in loads.items():
            if args.form not in (form, "both"):
                continue
            db = Path(tmp) / f"{form}.duckdb"
            m = measured_load(form, load_args, db)
            print(
                f"{form:<5} {m.pages:>8} pages  {m.seconds:7.1f} s  "
                f"{m.pages_per_second:8,.0f} pages/s  peak RSS {m.peak_rss_mb:5.0f} MB",
                flush=True,
            )
            print(f"      {m.output}", flush=True)


if __name__ == "__main__":
    main()
