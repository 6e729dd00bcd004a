"""Analysis and report benchmark: a generated 100,000-page run, analysed and rendered.

The crawl benchmark measures the report of a real 10,000-page crawl; this one checks the
design's "a 100k-page run analysed and rendered in seconds, not minutes" on a synthetic
run made in SQL (the same generator the analysis tests use at 2,000 pages).

    python bench/analyse_bench.py --pages 100000 --links 2000000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pipeline.test_analyse import synthetic_run  # noqa: E402
from unsilo.pipeline.analyse import analyse  # noqa: E402
from unsilo.pipeline.analyse_social import analyse_social  # noqa: E402
from unsilo.pipeline.db import connect  # noqa: E402
from unsilo.reports.exports import export_run  # noqa: E402
from unsilo.reports.render import render_report  # noqa: E402


def timed(label: str, func, *args):  # noqa: ANN001, ANN202 - a tiny timing helper
    started = time.perf_counter()
    result = func(*args)
    print(f"{label:<28} {time.perf_counter() - started:6.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=2_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unsilo-analyse-bench-") as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        con.execute(
            "insert into runs (run_id, start_url, site, started_at, finished_at, status, pages) "
            "values ('big', 'https://shop.example/', 'shop.example', now(), now(), 'complete', $n)",
            {"n": args.pages},
        )
        timed(f"generate {args.pages} pages", synthetic_run, con, "big", args.pages, args.links)
        counts = timed("analyse", analyse, con, "big")
        timed("analyse_social", analyse_social, con, "big")
        out = Path(tmp) / "out"
        timed("export CSV + Parquet", export_run, con, "big", out)
        report = timed("render report", render_report, con, "big", out / "report.html", out)
        print(f"marts: {counts}; report {report.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
