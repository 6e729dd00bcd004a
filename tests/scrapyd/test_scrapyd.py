"""Scrapyd for real: deploy with scrapyd-deploy, schedule the shop spider, load its feed job.

The README's Scrapyd section, step by step, against a real Scrapyd on 127.0.0.1: a job's
feed folder, brought in with ``unsilo load``, must be the same run as a direct crawl of the
same demo shop — the same pages, links and findings.
"""

from __future__ import annotations

import subprocess
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, run_cli
from tests.scrapyd.conftest import (
    Scrapyd,
    answer_of,
    deploy,
    job_times,
    repo_state,
)
from unsilo.demo.server import DemoServer
from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.db import prepare_connection

FAST = "AUTOTHROTTLE_ENABLED=0"  # the demo shop on 127.0.0.1 is ours: no need to back off


@dataclass(frozen=True)
class RunFacts:
    """What a run says about the shop, without its run id."""

    pages: frozenset[tuple[str, str, int | None]]  # (url_key, final_url_key, status)
    link_count: int
    links: frozenset[tuple[str, str]]  # (source_url_key, target_url_key)
    findings: Counter[tuple[str, str]]  # (check, url_key), duplicates counted


def run_facts(db: Path) -> dict[str, RunFacts]:
    """Analyse every run in ``db`` and describe each by its pages, links and findings."""
    con = duckdb.connect(str(db))
    prepare_connection(con)
    try:
        facts = {}
        for (run_id,) in con.execute("select run_id from runs order by run_id").fetchall():
            analyse(con, run_id)
            scope = {"r": run_id}
            pages = con.execute(
                "select url_key, final_url_key, status from pages where run_id = $r", scope
            ).fetchall()
            links = con.execute(
                "select source_url_key, target_url_key from links where run_id = $r", scope
            ).fetchall()
            findings = con.execute(
                'select "check", url_key from findings where run_id = $r', scope
            ).fetchall()
            facts[run_id] = RunFacts(
                frozenset(pages), len(links), frozenset(links), Counter(findings)
            )
        return facts
    finally:
        con.close()


def run_statuses(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [row[0] for row in con.execute("select status from runs order by run_id").fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def repo_before() -> tuple[frozenset[str], frozenset[str]]:
    return repo_state()


@pytest.fixture(scope="module")
def deployed(checkout: Path, scrapyd: Scrapyd, repo_before) -> subprocess.CompletedProcess:
    result = deploy(checkout, scrapyd.url)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def direct(tmp_path_factory: pytest.TempPathFactory, demo_server: DemoServer) -> RunFacts:
    """The same demo shop crawled directly into DuckDB, as ``unsilo crawl`` does."""
    work = tmp_path_factory.mktemp("direct")
    db = work / "direct.duckdb"
    result = run_cli(
        "crawl",
        demo_server.url,
        "--db",
        str(db),
        "--no-social",
        "--no-signals",
        "-s",
        FAST,
        cwd=work,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [facts] = run_facts(db).values()
    return facts


def test_scrapyd_deploy_sends_an_egg_of_the_unsilo_packages(deployed, scrapyd: Scrapyd) -> None:
    answer = answer_of(deployed)
    assert (answer["status"], answer["project"], answer["spiders"]) == (
        "ok",
        "unsilo",
        3,
    )  # shop, social, signals
    [egg] = (scrapyd.root / "eggs" / "unsilo").glob("*.egg")
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert {"unsilo/settings.py", "unsilo/spiders/shop.py", "unsilo/pipeline/storage_pipeline.py",
            "unsilo/reports/render.py", "unsilo/signals/source.py",
            "unsilo/spiders/signals.py"} <= names  # fmt: skip
    sql = {
        f"unsilo/pipeline/sql/{p.relative_to(ROOT / 'pipeline' / 'sql')}"
        for p in (ROOT / "pipeline" / "sql").rglob("*.sql")
    }
    templates = {
        f"unsilo/reports/templates/{p.relative_to(ROOT / 'reports' / 'templates')}"
        for p in (ROOT / "reports" / "templates").rglob("*.html")
    }
    assert sql and sql <= names
    assert templates and templates <= names
    assert {name.split("/", 1)[0] for name in names} == {"unsilo", "EGG-INFO"}
    assert "[scrapy]\nsettings = unsilo.settings" in entry_points
    assert scrapyd.get("listspiders.json", project="unsilo")["spiders"] == [
        "shop",
        "signals",
        "social",
    ]


def test_a_refused_egg_fails_the_deploy_command(checkout: Path, scrapyd: Scrapyd, tmp_path) -> None:
    """scrapyd-deploy itself exits 0 here; the README's command reads Scrapyd's answer."""
    egg = tmp_path / "no-entry-point.egg"
    with zipfile.ZipFile(egg, "w") as archive:
        archive.writestr("EGG-INFO/PKG-INFO", "Metadata-Version: 1.1\nName: broken\nVersion: 1\n")
    result = deploy(checkout, scrapyd.url, "-p", "broken", "--egg", str(egg))
    assert result.returncode != 0
    assert answer_of(result)["status"] == "error"


def test_a_scrapyd_job_loads_as_the_same_run_as_a_direct_crawl(
    deployed, scrapyd: Scrapyd, demo_server: DemoServer, direct: RunFacts, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds"
    job = scrapyd.schedule(demo_server.url, feeds, FAST)
    scrapyd.wait_finished([job])
    assert "Spider closed (finished)" in scrapyd.job_log(job)
    imports = scrapyd.imported_from()  # the runner hides the checkout: the egg's code ran
    assert "crawl" in {command for command, _ in imports}
    assert all(path.startswith(str(scrapyd.root / "eggs" / "unsilo")) for _, path in imports)

    [job_folder] = feeds.iterdir()
    assert {p.name for p in job_folder.iterdir()} >= {"run.json", "stats.json", "part-000001"}
    db = tmp_path / "loaded.duckdb"
    loaded = run_cli("load", str(feeds), "--db", str(db), cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert run_statuses(db) == ["complete"]
    [facts] = run_facts(db).values()
    assert facts.pages == direct.pages
    assert (facts.link_count, facts.links) == (direct.link_count, direct.links)
    assert facts.findings == direct.findings
    assert facts.findings  # the demo shop has defects: an empty comparison proves nothing


def test_two_concurrent_jobs_both_succeed(
    deployed, scrapyd: Scrapyd, demo_server: DemoServer, direct: RunFacts, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds"
    # a small delay stretches each job to a few seconds, so the two surely overlap
    jobs = [scrapyd.schedule(demo_server.url, feeds, FAST, "DOWNLOAD_DELAY=0.04") for _ in "ab"]
    finished = scrapyd.wait_finished(jobs)
    (start_a, end_a), (start_b, end_b) = (job_times(finished[job]) for job in jobs)
    assert max(start_a, start_b) < min(end_a, end_b), "the jobs did not run at the same time"

    assert len(list(feeds.iterdir())) == 2  # one job folder each, side by side
    db = tmp_path / "two.duckdb"
    loaded = run_cli("load", str(feeds), "--db", str(db), cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert run_statuses(db) == ["complete", "complete"]
    runs = run_facts(db)
    assert len(runs) == 2
    for facts in runs.values():
        assert facts.pages == direct.pages
        assert facts.links == direct.links


def test_nothing_is_written_into_the_checkout(deployed, scrapyd: Scrapyd, repo_before) -> None:
    """Jobs run in Scrapyd's folder and write where UNSILO_FEED_DIR says; builds in the copy."""
    # runs after the jobs above (pytest keeps file order)
    assert repo_state() == repo_before
