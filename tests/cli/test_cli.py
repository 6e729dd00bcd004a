"""The CLI as a user meets it: one-line errors, recorded runs, exit codes that mean something."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from tests.conftest import ROOT, Audit, free_port, run_cli
from tests.crawl_kill import crawl_env, stop_after_first_batch
from unsilo.cli import main
from unsilo.demo.catalog import DESIGNER_PROFILE
from unsilo.demo.expectations import build_expectations
from unsilo.demo.layout import SOCIAL_PROFILES
from unsilo.extract.profiles import classify_profile

DESIGNER = ":".join(classify_profile(DESIGNER_PROFILE))  # linked from one product page
# what the demo footer links on every page, its sameAs names, and rel=me confirms
SHOP_PROFILES = {":".join(classify_profile(url)) for url in SOCIAL_PROFILES.values()}


def runs_of(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select status, reason, start_url from runs order by started_at"
        ).fetchall()
    finally:
        con.close()


def test_audit_writes_the_report_and_says_where(demo_audit: Audit) -> None:
    report = demo_audit.out / "report.html"
    assert f"report: {report}" in demo_audit.process.stdout
    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("h1") is not None
    assert (demo_audit.out / "index.html").exists()
    assert list((demo_audit.out / "runs").glob("*.html"))


def test_runs_lists_the_run(demo_audit: Audit) -> None:
    result = CliRunner().invoke(main, ["runs", "--db", str(demo_audit.db)])
    assert result.exit_code == 0
    assert "complete" in result.output


def test_malformed_url_is_a_usage_error_and_a_recorded_run(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    result = run_cli("audit", "ht!tp:/nope", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 2
    assert "not an http(s) URL" in result.stderr
    assert "Traceback" not in result.stderr
    [(status, reason, _url)] = runs_of(db)
    assert status == "failed" and "not an http(s) URL" in reason


def test_unreachable_host_fails_the_run_with_the_reason(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    url = f"http://127.0.0.1:{free_port()}/"
    result = run_cli(
        "crawl",
        url,
        "--db",
        str(db),
        "-s",
        "RETRY_TIMES=0",
        "--no-social",
        "--no-signals",
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [(status, reason, start_url)] = runs_of(db)
    assert (status, start_url) == ("failed", url)
    assert "connection refused" in reason


def test_robots_block_says_our_crawler_was_blocked(tmp_path: Path, blocked_server) -> None:
    db, out = tmp_path / "x.duckdb", tmp_path / "out"
    result = run_cli(
        "audit",
        blocked_server.url,
        "--db",
        str(db),
        "--out",
        str(out),
        "--no-signals",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    [(status, reason, _url)] = runs_of(db)
    assert status == "failed"
    assert "unsilo's crawler was blocked" in reason and "search engines" in reason
    text = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    assert "unsilo's crawler was blocked" in text.get_text()


def test_non_html_start_url_fails_clearly(tmp_path: Path, demo_server, demo_shop) -> None:
    path = next(iter(build_expectations(demo_shop)["non_html"]))
    db = tmp_path / "x.duckdb"
    url = demo_server.url.rstrip("/") + path
    result = run_cli("crawl", url, "--db", str(db), "--no-social", "--no-signals", cwd=tmp_path)
    assert result.returncode == 1
    [(status, reason, _url)] = runs_of(db)
    assert status == "failed" and "not an HTML page" in reason


def test_unwritable_output_is_an_environment_error(tmp_path: Path, demo_server) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    db = tmp_path / "x.duckdb"
    out = str(blocker / "out")
    result = run_cli("audit", demo_server.url, "--db", str(db), "--out", out, cwd=tmp_path)
    assert result.returncode == 4
    assert "not writable" in result.stderr and "Traceback" not in result.stderr
    [(status, reason, _url)] = runs_of(db)
    assert status == "failed" and "not writable" in reason


def test_unwritable_database_is_an_environment_error(tmp_path: Path, demo_server) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    args = (
        "crawl",
        demo_server.url,
        "--db",
        str(blocker / "x.duckdb"),
        "--no-social",
        "--no-signals",
    )
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 4
    assert "cannot" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT, which needs POSIX signals")
def test_interrupted_crawl_is_partial_and_keeps_what_was_fetched(tmp_path: Path) -> None:
    """Ctrl-C half way: the run is `partial`, the pages fetched so far are in the database."""
    db = tmp_path / "x.duckdb"
    server = subprocess.Popen(
        [sys.executable, "-m", "unsilo.demo", "--pages", "3000", "--port", "0"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        # Ctrl-C a second after the first batch is stored (INFO logs it): mid-crawl however
        # slow the machine is, with no fixed wait for the crawl to get going
        crawl = stop_after_first_batch(
            ["-m", "unsilo", "crawl", url, "--db", str(db), "--no-social", "--no-signals",
             "-s", "DOWNLOAD_DELAY=0.02", "-s", "UNSILO_BATCH_SIZE=20", "-s", "LOG_LEVEL=INFO"],
            cwd=tmp_path, env=crawl_env(tmp_path), delay=1.0, sig=signal.SIGINT,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait()
    assert crawl.returncode == 3, crawl.output[-2000:]
    [(status, reason, _url)] = runs_of(db)
    assert status == "partial" and "interrupted" in reason
    con = duckdb.connect(str(db), read_only=True)
    [(pages,)] = con.execute("select count(*) from pages").fetchall()
    assert 0 < pages < 3000


def test_second_run_adds_to_the_database(tmp_path: Path, demo_server) -> None:
    db = tmp_path / "x.duckdb"
    for _ in range(2):
        args = (
            "crawl",
            demo_server.url,
            "--db",
            str(db),
            "--max-pages",
            "10",
            "--no-social",
            "--no-signals",
        )
        result = run_cli(*args, cwd=tmp_path)
        # a page limit that stopped the crawl leaves the shop partly unseen: partial, exit 3
        assert result.returncode == 3, result.stderr[-2000:]
        assert "partial (page limit reached (10 pages)" in result.stderr
    con = duckdb.connect(str(db), read_only=True)
    per_run = con.execute("select run_id, count(*) from pages group by run_id").fetchall()
    assert len(per_run) == 2 and all(n >= 10 for _, n in per_run)


def audited(db: Path) -> dict[str, str]:
    """``platform:handle`` → ``api_status`` of every profile the social crawl stored."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select platform, handle, api_status from profiles").fetchall()
    finally:
        con.close()
    return {f"{platform}:{handle}": status for platform, handle, status in rows}


def test_demo_audit_fills_the_social_sections_from_local_fakes(demo_signals_audit: Audit) -> None:
    """`unsilo audit --demo`: the demo shop and its profiles' APIs, all on 127.0.0.1.

    The profiles audited are the ones the shop claims (footer on every page, sameAs, rel=me),
    not the designer's that one product page links.
    """
    con = duckdb.connect(str(demo_signals_audit.db), read_only=True)
    statuses = audited(demo_signals_audit.db)
    assert set(statuses) == SHOP_PROFILES  # the designer's is not among them
    shop = ("bluesky:nordlysgoods.example", "mastodon:nordlysgoods@mastodon.social")
    assert {statuses[p] for p in shop} == {"ok"}
    assert statuses["instagram:nordlysgoods"] == "not auditable without API access"
    linked = con.execute("select distinct platform || ':' || handle from profile_links")
    assert DESIGNER in {key for (key,) in linked.fetchall()}  # found on its page, not audited
    [(linked,)] = con.execute("select count(*) from shop_post_links").fetchall()
    assert linked > 0
    soup = BeautifulSoup((demo_signals_audit.out / "report.html").read_text(), "html.parser")
    text = soup.get_text(" ")
    assert "nordlysgoods.example" in text and "not auditable without API access" in text


def test_configured_profile_is_audited_and_excluded_one_is_not(tmp_path: Path) -> None:
    """`--profile` audits a profile the shop does not claim; `--exclude-profile` drops one."""
    result = run_cli(
        "crawl", "--demo", "--demo-pages", "30", "--profile", DESIGNER_PROFILE,
        "--exclude-profile", "facebook:nordlysgoods", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    statuses = audited(tmp_path / "unsilo.duckdb")
    assert statuses[DESIGNER] == "not found"  # the fake knows only the shop's account
    assert "facebook:nordlysgoods" not in statuses
    assert statuses["bluesky:nordlysgoods.example"] == "ok"


def test_bad_configured_profile_keeps_the_shop_crawl(tmp_path: Path) -> None:
    """A profile list that cannot be built is one logged line and the run's reason."""
    result = run_cli(
        "crawl", "--demo", "--demo-pages", "30", "--profile", "https://shop.example/about",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    [(status, reason, _url)] = runs_of(tmp_path / "unsilo.duckdb")
    assert status == "complete"
    assert reason == (
        "social profiles not crawled: not a social profile URL: 'https://shop.example/about' "
        "(e.g. https://bsky.app/profile/x)"
    )
    con = duckdb.connect(str(tmp_path / "unsilo.duckdb"), read_only=True)
    assert con.execute("select count(*) from pages").fetchone()[0] >= 30
    assert con.execute("select count(*) from profiles").fetchone()[0] == 0
