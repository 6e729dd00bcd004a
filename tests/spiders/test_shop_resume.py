"""`scrapy crawl shop -s JOBDIR=…`: a paused crawl resumes into the same run, nothing twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.conftest import ROOT, run_scrapy


def test_paused_crawl_resumes_the_same_run(tmp_path: Path, demo_server, demo_shop) -> None:
    db, jobdir = tmp_path / "r.duckdb", tmp_path / "job"
    args = [
        "crawl", "shop", "-a", f"url={demo_server.url}", "-s", f"UNSILO_DB={db}",
        "-s", f"JOBDIR={jobdir}", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING",
    ]  # fmt: skip
    slow = ["-s", "DOWNLOAD_DELAY=0.25", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    first = subprocess.Popen(
        [sys.executable, "-m", "scrapy", *args, *slow],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(6)  # the whole crawl needs over 15 s at this pace; startup takes 1-2 s
    first.send_signal(signal.SIGINT)
    first.communicate(timeout=60)
    con = duckdb.connect(str(db), read_only=True)
    [(run_id, status, paused_pages)] = con.execute(
        "select run_id, status, pages from runs"
    ).fetchall()
    con.close()
    assert status == "partial" and 0 < paused_pages < demo_shop.pages

    resumed = run_scrapy(*args)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    con = duckdb.connect(str(db), read_only=True)
    runs = con.execute("select run_id, status from runs").fetchall()
    assert runs == [(run_id, "complete")]
    dupes = con.execute("select url from pages group by url having count(*) > 1").fetchall()
    assert dupes == []
    crawled = {r[0] for r in con.execute("select final_url from pages").fetchall()}
    base = demo_server.url.rstrip("/")
    assert {base + p for p in demo_shop.paths()} <= crawled
