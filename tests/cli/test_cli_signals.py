"""``unsilo signals``: the signals step alone, on a stored run, against local fakes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tests.conftest import NO_FOLLOW_UPS, run_cli
from unsilo.signals.fakes import FakeShare, FakeSignals, FakeSignalServer


def test_signals_are_added_to_the_latest_run_and_summarised(tmp_path: Path, demo_server) -> None:
    db = tmp_path / "shop.duckdb"
    crawled = run_cli("crawl", demo_server.url, "--db", str(db), *NO_FOLLOW_UPS, "-q", cwd=tmp_path)
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    data = FakeSignals(demo_server.url.rstrip("/"))
    data.captures = {"/": datetime(2019, 5, 1, tzinfo=UTC)}
    data.shares = [
        FakeShare(
            "hackernews", demo_server.url.rstrip("/") + "/about", "4242", points=30, comments=4
        )
    ]
    with FakeSignalServer(data) as fake:
        endpoints = json.dumps({"local": fake.url})
        args = ("signals", "--db", str(db), "--source", "hackernews", "--source", "wayback")
        result = run_cli(*args, "--signal-endpoints", endpoints, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("signals of run ")
    assert any(line.split()[:3] == ["hackernews", "ok", "1"] for line in lines[1:])
    con = duckdb.connect(str(db), read_only=True)
    try:
        (runs,) = con.execute("select count(*) from runs").fetchone()
        shares = con.execute("select source, url from url_signals order by source").fetchall()
    finally:
        con.close()
    assert runs == 1  # added to the crawl's run, no run of its own
    assert ("hackernews", demo_server.url.rstrip("/") + "/about") in shares
    assert ("wayback", demo_server.url) in shares


def test_without_a_run_it_says_so_in_one_line(tmp_path: Path) -> None:
    result = run_cli("signals", "--db", str(tmp_path / "none.duckdb"), cwd=tmp_path)
    assert result.returncode == 4
    assert result.stderr.startswith("unsilo: error: no crawled run")
    assert "Traceback" not in result.stderr
