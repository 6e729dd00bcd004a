"""One run owner: every way of crawling a shop gives the same status and reason.

The paths: ``unsilo audit``, ``unsilo crawl``, ``scrapy crawl shop`` with a database, and
``scrapy crawl shop`` without one (a feed job folder, as on Scrapyd) brought in by
``unsilo load``. The shops: healthy, blocked by robots.txt, unreachable. Once, a
robots-blocked shop was ``complete`` through ``scrapy crawl`` and ``failed`` through the CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, free_port, run_cli
from unsilo.pipeline.feeds import RUN_FILE

PATHS = ("audit", "crawl", "scrapy+db", "scrapy+feed")
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0"]


def start(path: str, url: str, work: Path) -> subprocess.Popen:
    """Start one path's crawl of ``url`` in its own folder; all paths run at once."""
    folder = work / path
    folder.mkdir()
    db = folder / "shop.duckdb"
    if path == "audit":
        args = ["-m", "unsilo", "audit", url, "--db", str(db), "--out", str(folder / "report")]
        args += ["--no-social", "--no-signals", "-q", *FAST]
    elif path == "crawl":
        args = [
            "-m",
            "unsilo",
            "crawl",
            url,
            "--db",
            str(db),
            "--no-social",
            "--no-signals",
            "-q",
            *FAST,
        ]
    else:
        args = ["-m", "scrapy", "crawl", "shop", "-a", f"url={url}", *FAST]
        args += ["-s", "LOG_LEVEL=WARNING"]
        if path == "scrapy+db":
            args += ["-s", f"UNSILO_DB={db}"]
        else:
            args += ["-s", f"UNSILO_FEED_DIR={folder / 'feeds'}"]
    cwd = ROOT if path.startswith("scrapy") else folder
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def verdict(path: str, work: Path) -> tuple[str, str | None, int]:
    """The stored run's (status, reason, pages) — after ``unsilo load`` for the feed path."""
    folder = work / path
    db = folder / "shop.duckdb"
    if path == "scrapy+feed":
        assert not list(ROOT.glob("*.duckdb")), "a feed job wrote a database in the project"
        (job,) = [p.parent for p in (folder / "feeds").glob(f"*/{RUN_FILE}")]
        loaded = run_cli("load", str(job), "--db", str(db), cwd=folder)
        assert "Traceback" not in loaded.stderr, loaded.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        (row,) = con.execute("select status, reason, pages from runs").fetchall()
    finally:
        con.close()
    return row


@pytest.fixture
def unreachable_url() -> str:
    return f"http://127.0.0.1:{free_port()}/"


@pytest.mark.parametrize("shop", ["healthy", "robots-blocked", "unreachable"])
def test_every_path_gives_the_same_status_and_reason(
    shop: str, tmp_path: Path, demo_server, blocked_server, unreachable_url: str
) -> None:
    url = {
        "healthy": demo_server.url,
        "robots-blocked": blocked_server.url,
        "unreachable": unreachable_url,
    }[shop]
    processes = {path: start(path, url, tmp_path) for path in PATHS}
    for path, process in processes.items():
        _out, err = process.communicate(timeout=240)
        if not path.startswith("scrapy"):  # plain `scrapy crawl` keeps Scrapy's own log
            assert "Traceback" not in err, f"{path}: {err[-2000:]}"
    verdicts = {path: verdict(path, tmp_path) for path in PATHS}

    expected_status = {"healthy": "complete", "robots-blocked": "failed", "unreachable": "failed"}
    assert {v[0] for v in verdicts.values()} == {expected_status[shop]}, verdicts
    assert len({v[1] for v in verdicts.values()}) == 1, verdicts  # word for word
    assert len({v[2] for v in verdicts.values()}) == 1, verdicts  # the same pages stored
    reason = verdicts["crawl"][1]
    if shop == "robots-blocked":
        assert reason.startswith("unsilo's crawler was blocked by the shop's robots.txt")
    elif shop == "unreachable":
        assert reason == "could not fetch the start URL: connection refused"
    else:
        assert reason is None
    # the CLI's exit code says the same as the stored status
    codes = {path: processes[path].returncode for path in ("audit", "crawl")}
    assert set(codes.values()) == {{"complete": 0, "failed": 1}[expected_status[shop]]}, codes
