"""Ctrl-C and SIGTERM: one line, no traceback, exit 3, what was fetched kept (in the
database and in the ``-o`` feed, which is closed whole)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import NO_FOLLOW_UPS
from unsilo.demo.faults import FaultServer


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stopped_crawl_ends_with_one_line_and_exit_3(tmp_path: Path, sig: int) -> None:
    db, feed = tmp_path / "stop.duckdb", tmp_path / "pages.json"
    with FaultServer(["trap"]) as server:  # with the guard off, the trap never ends
        process = subprocess.Popen(
            [sys.executable, "-m", "unsilo", "crawl", server.url, "--db", str(db),
             "--trap-repeats", "0", "-o", str(feed), *NO_FOLLOW_UPS],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while len(server.shop.hits) < 60 and time.monotonic() < deadline:
            time.sleep(0.1)
        process.send_signal(sig)
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 3, err[-3000:]
    assert "Traceback" not in err and "ReactorNotRunning" not in err
    # without a terminal the run's line is a log line, stamped with its UTC time
    run_lines = [line for line in err.splitlines() if re.match(r"\S+Z run ", line)]
    assert len(run_lines) == 1 and ": partial (interrupted" in run_lines[0]
    con = duckdb.connect(str(db), read_only=True)
    [(status, pages)] = con.execute("select status, pages from runs").fetchall()
    assert status == "partial" and pages > 0
    [(stored,)] = con.execute("select count(*) from pages").fetchall()
    assert len(json.loads(feed.read_text(encoding="utf-8"))) == stored  # a whole JSON array
