"""`--config shop.toml` end to end: a crawl of the demo shop as the file says, on the record."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_cli

SECRET = "sekrit-token-value-123"


def config_file(folder: Path, url: str) -> Path:
    path = folder / "shop.toml"
    path.write_text(
        f"""\
[crawl]
start_url = "{url}"
max_pages = 1000
exclude = ['/blog']
drop_query = ["sort"]

[politeness]
concurrency = 2

[social]
crawl = false   # the demo shop links real social hosts; no test touches the internet

[signals]
sources = ["hackernews", "wayback"]
collect = false  # tests never ask the real services

[output]
db = "data/shop.duckdb"
folder = "report"
language = "da"
""",
        encoding="utf-8",
    )
    return path


def recorded(db: Path) -> list[tuple[str, dict]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select status, settings from runs order by started_at").fetchall()
    finally:
        con.close()
    return [(status, json.loads(settings)) for status, settings in rows]


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_an_audit_runs_as_its_config_file_says_and_records_it(
    tmp_path: Path, demo_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop, elsewhere = tmp_path / "shop-a", tmp_path / "work"
    shop.mkdir(), elsewhere.mkdir()
    path = config_file(shop, demo_server.url)
    monkeypatch.setenv("UNSILO_REDDIT_TOKEN", SECRET)
    monkeypatch.setenv("UNSILO_DB", str(elsewhere / "ignored.duckdb"))
    result = run_cli("audit", "--config", str(path), "-q", cwd=elsewhere)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "UNSILO_DB in the environment is ignored" in result.stderr
    db = shop / "data" / "shop.duckdb"  # relative to the file, not the working directory
    assert (shop / "report" / "report.html").is_file()
    assert not list(elsewhere.iterdir())
    [(status, settings)] = recorded(db)
    assert status == "complete"
    assert settings["config_file"] == str(path)
    assert settings["start_url"] == demo_server.url
    assert (settings["max_pages"], settings["concurrent_requests_per_domain"]) == (1000, 2)
    assert (settings["exclude"], settings["drop_query"], settings["include"]) == (
        ["/blog"],
        ["sort"],
        [],
    )
    assert settings["signal_sources"] == ["hackernews", "wayback"]
    assert settings["signals"] is False
    assert settings["report_language"] == "da"
    assert settings["social"] is False
    assert (settings["database"], settings["report_folder"]) == (str(db), str(shop / "report"))
    everything = query(db, "select * from runs")
    assert SECRET not in repr(everything)
    # /blog is linked from the demo's pages but, excluded, never fetched
    assert query(db, "select count(*) from links where target_url like '%/blog%'")[0][0] > 0
    assert query(db, "select count(*) from pages where url like '%/blog%'") == [(0,)]
    assert query(db, "select count(*) from pages")[0][0] > 20


def test_an_option_given_wins_over_the_file(tmp_path: Path, demo_server) -> None:
    path = config_file(tmp_path, demo_server.url)
    db = tmp_path / "other.duckdb"
    args = ("crawl", "--config", str(path), "--max-pages", "5", "--db", str(db), "-q")
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 3, result.stderr[-3000:]  # capped by --max-pages: partial
    assert not (tmp_path / "data").exists()  # --db won over [output] db
    [(status, settings)] = recorded(db)
    assert (status, settings["max_pages"]) == ("partial", 5)
    assert settings["exclude"] == ["/blog"]  # what was not overridden still comes from the file


def test_demo_replaces_the_files_start_url_and_keeps_the_rest(tmp_path: Path) -> None:
    path = config_file(tmp_path, "https://shop-a.example/")  # never contacted
    args = ("audit", "--config", str(path), "--demo", "--demo-pages", "30", "-q")
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    [(status, settings)] = recorded(tmp_path / "data" / "shop.duckdb")
    assert status == "complete"
    assert settings["start_url"].startswith("http://127.0.0.1:")
    assert settings["exclude"] == ["/blog"] and settings["report_language"] == "da"
