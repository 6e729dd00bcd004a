"""Which run a crawl stores into, and what is recorded about it when it starts.

A crawl the ``unsilo`` CLI did not start (``UNSILO_RUN_ID`` unset) owns its run. Paused
with a ``JOBDIR``, it leaves the run's id in ``<JOBDIR>/unsilo-run-id`` (``JOB_RUN_FILE``),
so the crawl that continues the job continues the same run instead of starting a new one;
the CLI reads the same file (``run_in_job``) before it picks a run to continue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from scrapy.spiders import Spider

from unsilo import clock
from unsilo.pipeline.run_rows import reopen_run, run_version, start_run
from unsilo.pipeline.run_scope import crawl_scope, public_settings
from unsilo.pipeline.runs import mark_stale_runs

JOB_RUN_FILE = "unsilo-run-id"  # inside JOBDIR: the run a paused crawl continues


def job_run_file(jobdir: str | Path | None) -> Path | None:
    """Where a ``JOBDIR`` keeps its run's id; None without a ``JOBDIR``."""
    return Path(jobdir) / JOB_RUN_FILE if jobdir else None


def run_in_job(job_file: Path | None) -> str | None:
    """The run id a ``JOBDIR`` names, if it names one."""
    if job_file is None or not job_file.is_file():
        return None
    return job_file.read_text(encoding="utf-8").strip() or None


def remember_run(job_file: Path | None, run_id: str) -> None:
    """Name ``run_id`` in the ``JOBDIR`` (if any), for the crawl that continues the job."""
    if job_file is not None:
        job_file.parent.mkdir(parents=True, exist_ok=True)
        job_file.write_text(run_id, encoding="utf-8")


def run_meta(settings: Any, spider: Spider) -> dict[str, Any]:
    """What a run records when it starts: the spider's start URL and site, and the crawl's
    scope (``crawl_scope``, secrets dropped) from its effective ``settings``."""
    start_url = str(getattr(spider, "start_url", "") or "")
    scope = crawl_scope(
        settings,
        spider=spider.name,
        start_url=start_url,
        sitemaps=bool(getattr(spider, "read_sitemaps", False)),
    )
    return {
        "start_url": start_url,
        "site": str(getattr(spider, "site", "") or ""),
        "started_at": clock.utcnow_naive().isoformat(),
        "scope": public_settings(scope),
        "unsilo_version": run_version(),
    }


def claim_run(
    con: duckdb.DuckDBPyConnection, job_file: Path | None, meta: dict[str, Any]
) -> tuple[str, bool]:
    """The run an owning crawl stores into, holding the database lock: ``(run_id, resuming)``.

    Runs a dead process left ``running`` are closed first (``mark_stale_runs``); then the run
    the ``JOBDIR`` names is reopened, or a new one is started from ``meta`` (``run_meta``).
    """
    mark_stale_runs(con)
    resumed = run_in_job(job_file)
    if resumed and reopen_run(con, resumed):
        return resumed, True
    run_id = start_run(con, start_url=meta["start_url"], site=meta["site"], settings=meta["scope"])
    return run_id, False
