"""`scrapy crawl shop` killed with SIGKILL at random points, then resumed with the same command.

Whatever the kills interrupted (a fetch, a batch half written, a commit, an earlier
resume), the resumed run must store exactly what an uninterrupted crawl of the same shop
stores: every page once, every link once, one ``complete`` run.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT, run_cli, run_scrapy
from tests.crawl_kill import (
    SLOW,
    assert_resumed_like_clean,
    crawl_env,
    job_files,
    kill_delays,
    kill_seed,
    replay,
    stop_after_first_batch,
    stored,
)
from unsilo.pipeline.feeds import RUN_FILE


def shop_crawl(url: str, *settings: str) -> list[str]:
    return ["crawl", "shop", "-a", f"url={url}", "-s", "LOG_LEVEL=INFO", *SLOW, *settings]


def kill_twice(args: list[str], tmp_path: Path) -> str:
    """Kill the crawl, then its first resume, each at a seeded random point; the replay note."""
    seed = kill_seed()
    delays = kill_delays(seed, 2)
    why = replay(seed, delays)
    for delay in delays:
        killed = stop_after_first_batch(
            ["-m", "scrapy", *args], cwd=ROOT, env=crawl_env(tmp_path), delay=delay
        )
        assert killed.returncode == -9, f"{why}: the crawl was not killed\n{killed.output[-2000:]}"
    return why


def test_killed_database_crawl_resumes_to_the_clean_crawl(
    tmp_path: Path, resume_server, clean_crawl
) -> None:
    db, jobdir = tmp_path / "shop.duckdb", tmp_path / "job"
    args = shop_crawl(resume_server.url, "-s", f"UNSILO_DB={db}", "-s", f"JOBDIR={jobdir}")
    why = kill_twice(args, tmp_path)
    before = stored(db)
    [(run_id, status)] = before.runs
    assert status == "running", why  # a dead process cannot finish its run
    assert 0 < len(before.urls) < len(clean_crawl.urls), why
    assert before.duplicated_urls() == [], why
    assert job_files(jobdir) == ["unsilo-run-id"], why

    resumed = run_scrapy(*args, timeout=120)
    assert resumed.returncode == 0, f"{why}\n{resumed.stderr[-3000:]}"
    assert_resumed_like_clean(db, clean_crawl, run_id, why)
    assert job_files(jobdir) == ["unsilo-run-id"], why


def test_killed_feed_job_resumes_and_loads_as_the_clean_crawl(
    tmp_path: Path, resume_server, clean_crawl
) -> None:
    feeds, jobdir = tmp_path / "feeds", tmp_path / "job"
    args = shop_crawl(resume_server.url, "-s", f"UNSILO_FEED_DIR={feeds}", "-s", f"JOBDIR={jobdir}")
    why = kill_twice(args, tmp_path)
    [job] = [p.parent for p in feeds.glob(f"*/{RUN_FILE}")]
    assert job_files(jobdir) == ["unsilo-run-id"], why

    resumed = run_scrapy(*args, timeout=120)
    assert resumed.returncode == 0, f"{why}\n{resumed.stderr[-3000:]}"
    assert [p.parent for p in feeds.glob(f"*/{RUN_FILE}")] == [job], why
    db = tmp_path / "shop.duckdb"
    loaded = run_cli("load", str(job), "--db", str(db), cwd=tmp_path, timeout=120)
    assert loaded.returncode == 0, f"{why}\n{loaded.stdout}{loaded.stderr[-3000:]}"
    assert_resumed_like_clean(db, clean_crawl, job.name, why)
    assert not (ROOT / "unsilo-feeds").exists()
