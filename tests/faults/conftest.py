"""Crawls of the fault shop (``unsilo.demo.faults``): one server per test, the CLI in a child.

Each crawl is bounded in wall time (``WALL_TIME_S``): a fault that makes the crawler hang or
loop fails the test instead of stalling the suite.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import NO_FOLLOW_UPS, query_db, run_cli
from unsilo.demo.faults import REAL_PAGES, FaultServer

WALL_TIME_S = 90.0


@dataclass
class FaultCrawl:
    """One finished CLI run against the fault shop, and what it stored."""

    server: FaultServer
    returncode: int
    stderr: str
    seconds: float
    db: Path
    out: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        return query_db(self.db, sql, params)

    def run(self) -> tuple[str, str | None]:
        [(status, reason)] = self.query("select status, reason from runs")
        return status, reason

    def url(self, path: str) -> str:
        return self.server.url.rstrip("/") + path

    def page(self, path: str) -> dict[str, Any]:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            cursor = con.execute("select * from pages where url = ?", [self.url(path)])
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        finally:
            con.close()
        assert len(rows) == 1, f"{path}: {len(rows)} rows"
        return dict(zip(names, rows[0], strict=True))

    def real_pages_reached(self) -> set[str]:
        """The shop's own pages fetched with 200, whatever query string they carried."""
        rows = self.query("select url from pages where status = 200")
        base = self.server.url.rstrip("/")
        got = {url.split("?", 1)[0].removeprefix(base) or "/" for (url,) in rows}
        return got & set(REAL_PAGES)

    def findings(self, check: str) -> list[tuple[str, str, str | None]]:
        return self.query(
            'select url, message, detail from findings where "check" = ? order by url', [check]
        )


@pytest.fixture
def crawl_faults(tmp_path: Path) -> Iterator[Callable[..., FaultCrawl]]:
    """``crawl_faults(["trap"], "--max-depth", "3", command="audit")`` → a ``FaultCrawl``."""
    servers: list[FaultServer] = []

    def crawl(faults: list[str], *args: str, command: str = "crawl") -> FaultCrawl:
        server = FaultServer(faults).__enter__()
        servers.append(server)
        db, out = tmp_path / f"{len(servers)}.duckdb", tmp_path / f"report{len(servers)}"
        extra = ("--out", str(out)) if command == "audit" else ()
        start = time.monotonic()
        process = run_cli(
            command, server.url, "--db", str(db), *extra, *NO_FOLLOW_UPS, *args,
            cwd=tmp_path, timeout=WALL_TIME_S,
        )  # fmt: skip
        return FaultCrawl(
            server, process.returncode, process.stderr, time.monotonic() - start, db, out
        )

    yield crawl
    for server in servers:
        server.__exit__(None, None, None)
