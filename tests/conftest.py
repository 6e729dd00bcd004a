"""Shared fixtures: the demo shop served on 127.0.0.1, and crawls run in subprocesses.

Scrapy's reactor runs once per process, so every whole crawl runs in a child process
(``python -m unsilo …`` or ``scrapy crawl …``), exactly as a user would start it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from unsilo.demo.server import DemoServer
from unsilo.demo.shop import DemoShop

ROOT = Path(__file__).resolve().parent.parent
DEMO_PAGES = 60


NO_FOLLOW_UPS = ("--no-social", "--no-signals")
"""A crawl of a local test shop asks no real social API or signal source (no network)."""


def run_cli(*args: str, cwd: Path, timeout: float = 240, **kwargs) -> subprocess.CompletedProcess:
    """Run ``python -m unsilo ARGS`` in ``cwd`` and capture its output."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [sys.executable, "-m", "unsilo", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def run_scrapy(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    """Run ``scrapy ARGS`` inside the project folder (where scrapy.cfg is)."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    """A port nothing listens on (bound, then released): connections to it are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_shop() -> DemoShop:
    return DemoShop(pages=DEMO_PAGES, seed=7)


@pytest.fixture(scope="session")
def demo_server(demo_shop: DemoShop) -> Iterator[DemoServer]:
    with DemoServer(demo_shop) as server:
        yield server


@pytest.fixture(scope="session")
def blocked_server(demo_shop: DemoShop) -> Iterator[DemoServer]:
    """The demo shop with a robots.txt that disallows every crawler."""
    with DemoServer(demo_shop, robots="disallow-all") as server:
        yield server


def query_db(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of ``sql`` in the database file ``db``, opened read-only for this query."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@dataclass
class Audit:
    """One finished ``unsilo audit`` of the demo shop, shared by the tests that read it."""

    process: subprocess.CompletedProcess
    db: Path
    out: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        return query_db(self.db, sql, params)


@pytest.fixture(scope="session")
def demo_audit(tmp_path_factory: pytest.TempPathFactory, demo_server: DemoServer) -> Audit:
    work = tmp_path_factory.mktemp("audit")
    db, out = work / "shop.duckdb", work / "report"
    # --no-social: the demo shop links real social hosts; the demo's local fakes of their
    # APIs are exercised by the `audit --demo` test instead (no test touches the internet)
    args = (
        "audit",
        demo_server.url,
        "--db",
        str(db),
        "--out",
        str(out),
        "--no-social",
        "--no-signals",
    )
    process = run_cli(*args, cwd=work)
    assert process.returncode == 0, process.stderr[-3000:]
    return Audit(process, db, out)


@pytest.fixture(scope="session")
def demo_signals_audit(tmp_path_factory: pytest.TempPathFactory) -> Audit:
    """One ``unsilo audit --demo`` with every step: the demo shop, its profiles' APIs and
    the signal sources, all local fakes (so the run shows every level of the ladder)."""
    work = tmp_path_factory.mktemp("demo-audit")
    process = run_cli("audit", "--demo", "--demo-pages", "40", cwd=work)
    assert process.returncode == 0, process.stderr[-3000:]
    return Audit(process, work / "unsilo.duckdb", work / "unsilo-report")


RESUME_PAGES = 100  # the resume tests' shop: big enough for a crawl to be killed half way


@pytest.fixture(scope="session")
def resume_server() -> Iterator[DemoServer]:
    with DemoServer(DemoShop(pages=RESUME_PAGES, seed=7)) as server:
        yield server


@pytest.fixture(scope="session")
def clean_crawl(tmp_path_factory: pytest.TempPathFactory, resume_server: DemoServer):
    """What one uninterrupted crawl of the resume shop stores: what every resume must match."""
    from tests.crawl_kill import stored

    db = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    args = ["-a", f"url={resume_server.url}", "-s", f"UNSILO_DB={db}"]
    crawl = run_scrapy("crawl", "shop", *args, "-s", "AUTOTHROTTLE_ENABLED=0", timeout=120)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    clean = stored(db)
    assert [status for _run, status in clean.runs] == ["complete"]
    assert len(clean.urls) > RESUME_PAGES
    return clean
