"""Helpers for the resume tests: kill a real crawl process at a random point, read what it stored.

The kill point is random but seeded; the seed is in every assertion message, and
``UNSILO_KILL_SEED=<seed>`` replays a failure.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

BATCH_STORED = re.compile(r"run (\S+): batch \d+ stored")
SLOW = [
    "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0.05",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "UNSILO_BATCH_SIZE=5",
]  # fmt: skip
"""A crawl of the 100-page resume shop takes about 7 s at this pace; a batch lands every 0.3 s."""
MAX_KILL_DELAY = 3.5  # seconds of crawling after first batches, all kills together: well short of 7


def kill_seed() -> int:
    """``UNSILO_KILL_SEED`` when set (to replay a failure), else a fresh random seed."""
    given = os.environ.get("UNSILO_KILL_SEED")
    return int(given) if given else random.SystemRandom().randrange(1_000_000)


def kill_delays(seed: int, kills: int) -> list[float]:
    """Seconds after each process's first stored batch to kill it; together at most
    ``MAX_KILL_DELAY``, so every kill lands before the crawl could have ended."""
    rng = random.Random(seed)
    delays: list[float] = []
    for _ in range(kills):
        delays.append(rng.uniform(0, MAX_KILL_DELAY - sum(delays)))
    return delays


def replay(seed: int, delays: list[float]) -> str:
    """What an assertion message says, so a failure can be replayed."""
    return f"UNSILO_KILL_SEED={seed} (killed {', '.join(f'{d:.2f}' for d in delays)} s in)"


def crawl_env(tmp: Path) -> dict[str, str]:
    """The crawl's environment: unbuffered, and its temporary batch folders under ``tmp``."""
    return {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp)}


@dataclass
class Stopped:
    """A crawl process stopped by a signal after it had stored at least one batch."""

    returncode: int
    output: str


def stop_after_first_batch(
    args: list[str], *, cwd: Path, env: dict[str, str], delay: float, sig: int = signal.SIGKILL
) -> Stopped:
    """Run ``python ARGS``; ``delay`` seconds after its first stored batch, send ``sig``.

    The crawl must log at INFO level: the store's "batch N stored" line is what is waited
    for. Its output is drained by a thread so a full pipe never stalls it.
    """
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    stored = threading.Event()

    def drain() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if BATCH_STORED.search(line):
                stored.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        if not stored.wait(timeout=60):
            raise AssertionError(f"no batch stored within 60 s:\n{''.join(lines)[-3000:]}")
        time.sleep(delay)
        proc.send_signal(sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        reader.join(timeout=30)
    return Stopped(proc.returncode, "".join(lines))


def job_files(jobdir: Path) -> list[str]:
    """What a JOBDIR holds: only unsilo's run id, never Scrapy's request queue or seen-file."""
    return sorted(p.name for p in jobdir.iterdir())


@dataclass(frozen=True)
class Stored:
    """What one database holds, in the terms a resume must get right."""

    runs: list[tuple[str, str]]  # (run_id, status)
    urls: list[str]  # every stored page's URL, duplicates kept
    final_urls: frozenset[str]
    depth_zero: frozenset[str]  # the start URL and sitemap-only pages
    links: int
    sitemap_urls: list[tuple[str, str]]  # (url, sitemap_url), duplicates kept
    page_social: int
    profile_links: int
    pages_counted: int  # runs.pages

    def duplicated_urls(self) -> list[str]:
        return sorted({u for u in self.urls if self.urls.count(u) > 1})

    def same_crawl_as(self, clean: Stored) -> dict[str, object]:
        """Everything in which this (resumed) crawl differs from ``clean``; ``{}`` if none."""
        diff: dict[str, object] = {}
        if set(self.urls) != set(clean.urls):
            diff["urls missing"] = sorted(set(clean.urls) - set(self.urls))
            diff["urls extra"] = sorted(set(self.urls) - set(clean.urls))
        if self.final_urls != clean.final_urls:
            diff["final urls"] = sorted(self.final_urls ^ clean.final_urls)
        if self.depth_zero != clean.depth_zero:
            diff["depth 0, only one side"] = sorted(self.depth_zero ^ clean.depth_zero)[:5]
        for name in ("links", "page_social", "profile_links"):
            if getattr(self, name) != getattr(clean, name):
                diff[name] = (getattr(self, name), getattr(clean, name))
        if sorted(self.sitemap_urls) != sorted(clean.sitemap_urls):
            diff["sitemap_urls"] = (len(self.sitemap_urls), len(clean.sitemap_urls))
        return diff


def stored(db: Path) -> Stored:
    con = duckdb.connect(str(db), read_only=True)
    try:

        def column(sql: str) -> list:
            return [row[0] for row in con.execute(sql).fetchall()]

        return Stored(
            runs=[tuple(r) for r in con.execute("select run_id, status from runs").fetchall()],
            urls=column("select url from pages"),
            final_urls=frozenset(column("select final_url from pages")),
            depth_zero=frozenset(column("select url from pages where depth = 0")),
            links=column("select count(*) from links")[0],
            sitemap_urls=[
                tuple(r)
                for r in con.execute("select url, sitemap_url from sitemap_urls").fetchall()
            ],
            page_social=column("select count(*) from page_social")[0],
            profile_links=column("select count(*) from profile_links")[0],
            pages_counted=sum(column("select coalesce(pages, 0) from runs")),
        )
    finally:
        con.close()


def assert_resumed_like_clean(db: Path, clean: Stored, run_id: str, why: str) -> None:
    """One ``complete`` run, each page stored once, and the same crawl as ``clean``."""
    after = stored(db)
    assert after.runs == [(run_id, "complete")], why
    assert after.duplicated_urls() == [], why
    differences = after.same_crawl_as(clean)
    assert differences == {}, f"{why}: {differences}"
    assert after.pages_counted == len(after.urls), why
