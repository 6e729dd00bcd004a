"""Spider-trap benchmark: ``unsilo crawl`` with default settings against the fault shop's trap.

The fault shop (``unsilo.demo.faults``) serves an infinite event calendar and a random
``?sid=`` on every link, around 17 real shop pages (one of them named only in the sitemap).
The crawl runs as a child process, as a user would start it; this prints how it ended, the
pages it fetched, its wall time and peak RSS (from the kernel: wait4), how many trap URLs it
fetched, which traps it recognised, and how many of the real shop pages it reached.

    python bench/trap_bench.py                                   # default settings
    python bench/trap_bench.py -- --trap-repeats 0 --max-pages 300  # the guard off
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from unsilo.demo.faults import REAL_PAGES, FaultServer

ROOT = Path(__file__).resolve().parent.parent


def main(extra: list[str]) -> None:
    with tempfile.TemporaryDirectory() as work, FaultServer(["trap"]) as server:
        db = Path(work) / "trap.duckdb"
        cmd = [sys.executable, "-m", "unsilo", "crawl", server.url, "--db", str(db),
               "--no-social", "--no-signals", "-q", *extra]  # fmt: skip
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - start
        err = proc.stderr.read() if proc.stderr else ""
        con = duckdb.connect(str(db), read_only=True)
        [(run_status, reason, pages)] = con.execute(
            "select status, reason, pages from runs"
        ).fetchall()
        urls = [u for (u,) in con.execute("select url from pages where status = 200").fetchall()]
        traps = con.execute("select kind, pattern, urls from crawl_traps").fetchall()
        con.close()
    base = server.url.rstrip("/")
    real = {u.split("?", 1)[0].removeprefix(base) or "/" for u in urls} & set(REAL_PAGES)
    trap_urls = sum(1 for u in urls if "/calendar/" in u or "sid=" in u)
    print(f"command      : unsilo crawl <trap shop> {' '.join(extra) or '(default settings)'}")
    print(f"exit status  : {os.waitstatus_to_exitcode(status)}  run: {run_status} ({reason})")
    print(f"pages fetched: {pages}  ({trap_urls} of the 200-answers were trap URLs)")
    print(f"wall time    : {seconds:.1f} s")
    print(f"peak RSS     : {usage.ru_maxrss / 1024:.0f} MB")
    print(f"real pages   : {len(real)} of {len(REAL_PAGES)} reached")
    for kind, pattern, count in traps:
        print(f"trap         : {kind} {pattern} (recognised after {count} URLs)")
    if err.strip():
        print("stderr       :", err.strip().splitlines()[-1])


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[1:] if args[:1] == ["--"] else args)
