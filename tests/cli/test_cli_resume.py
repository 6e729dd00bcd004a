"""`unsilo crawl|audit --resume` (or the same `-s JOBDIR=…`) continue a killed or stopped run.

Each test stops a real `unsilo crawl` or `unsilo audit` at a seeded random point once a batch
is stored, then checks the database against an uninterrupted crawl of the same demo shop.
"""

from __future__ import annotations

import re
import signal
from pathlib import Path

from tests.conftest import run_cli
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
from unsilo.pipeline.runs import STALE_REASON

FAST = ["-s", "AUTOTHROTTLE_ENABLED=0"]
NEVER_FETCHED = r"(\d+) linked URLs? w[a-z]+ never fetched"
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "  # a log line's UTC time (no terminal)
CONTINUING = re.compile(rf"^{STAMP}continuing run (\S+) \({NEVER_FETCHED}\)$", re.MULTILINE)


def crawl_args(url: str, db: Path, *extra: str, command: str = "crawl") -> list[str]:
    """`unsilo crawl` (or ``command``) of the resume shop, without its social profiles."""
    return [command, url, "--db", str(db), "--no-social", "--no-signals", *extra]


def kill_cli_crawl(
    tmp_path: Path, url: str, db: Path, *extra: str, sig=signal.SIGKILL, command="crawl"
):
    """Start `unsilo crawl`, slowed down and logging its batches, and stop it with ``sig``."""
    seed = kill_seed()
    [delay] = kill_delays(seed, 1)
    args = ["-m", "unsilo", *crawl_args(url, db, *extra, command=command), *SLOW]
    args += ["-s", "LOG_LEVEL=INFO"]
    stopped = stop_after_first_batch(
        args, cwd=tmp_path, env=crawl_env(tmp_path), delay=delay, sig=sig
    )
    return stopped, replay(seed, [delay])


def only_run(db: Path, status: str, why: str) -> str:
    """The id of the database's one run, checking its status."""
    runs = stored(db).runs
    assert [s for _run, s in runs] == [status], f"{why}: {runs}"
    return runs[0][0]


def listed_runs(db: Path, cwd: Path) -> list[str]:
    """The run ids `unsilo runs` prints."""
    listing = run_cli("runs", "--db", str(db), cwd=cwd, timeout=60)
    assert listing.returncode == 0, listing.stderr
    return [line.split()[0] for line in listing.stdout.splitlines()[1:]]


def test_killed_audit_continues_with_audit_resume(tmp_path: Path, resume_server, clean_crawl):
    db, out = tmp_path / "shop.duckdb", ["--out", str(tmp_path / "report")]
    killed, why = kill_cli_crawl(tmp_path, resume_server.url, db, *out, command="audit")
    assert killed.returncode == -9, f"{why}\n{killed.output[-2000:]}"
    run_id = only_run(db, "running", why)

    args = crawl_args(resume_server.url, db, *out, "--resume", *FAST, command="audit")
    resumed = run_cli(*args, cwd=tmp_path)
    assert resumed.returncode == 0, f"{why}\n{resumed.stderr[-3000:]}"
    assert (tmp_path / "report" / "runs" / f"{run_id}.html").is_file(), why
    [(continued, missing)] = CONTINUING.findall(resumed.stderr)
    assert continued == run_id and int(missing) > 0, f"{why}\n{resumed.stderr}"
    assert f"run {run_id} (resumed): complete" in resumed.stderr, why
    assert listed_runs(db, tmp_path) == [run_id], why
    assert_resumed_like_clean(db, clean_crawl, run_id, why)


def test_killed_cli_crawl_continues_with_the_same_jobdir(
    tmp_path: Path, resume_server, clean_crawl
):
    db, job = tmp_path / "shop.duckdb", ["-s", f"JOBDIR={tmp_path / 'job'}"]
    killed, why = kill_cli_crawl(tmp_path, resume_server.url, db, *job)
    assert killed.returncode == -9, f"{why}\n{killed.output[-2000:]}"
    run_id = only_run(db, "running", why)

    again = run_cli(*crawl_args(resume_server.url, db, *job, *FAST), cwd=tmp_path)
    assert again.returncode == 0, f"{why}\n{again.stderr[-3000:]}"
    assert [run for run, _missing in CONTINUING.findall(again.stderr)] == [run_id], why
    assert f"run {run_id} (resumed): complete" in again.stderr, why
    assert listed_runs(db, tmp_path) == [run_id], why
    assert_resumed_like_clean(db, clean_crawl, run_id, why)
    assert job_files(tmp_path / "job") == ["unsilo-run-id"], why


def test_interrupted_cli_crawl_continues_with_resume(tmp_path: Path, resume_server, clean_crawl):
    db = tmp_path / "shop.duckdb"
    stopped, why = kill_cli_crawl(tmp_path, resume_server.url, db, sig=signal.SIGINT)
    assert stopped.returncode == 3, f"{why}\n{stopped.output[-2000:]}"  # partial
    run_id = only_run(db, "partial", why)
    interrupted = re.search(
        rf"run {run_id}: partial \(interrupted \(Ctrl-C or SIGTERM\); pages fetched so far are "
        rf"kept; {NEVER_FETCHED}\)",
        stopped.output,
    )
    assert interrupted, f"{why}\n{stopped.output[-2000:]}"

    resumed = run_cli(*crawl_args(resume_server.url, db, "--resume", *FAST), cwd=tmp_path)
    assert resumed.returncode == 0, f"{why}\n{resumed.stderr[-3000:]}"
    assert CONTINUING.findall(resumed.stderr) == [(run_id, interrupted[1])], why
    assert listed_runs(db, tmp_path) == [run_id], why
    assert_resumed_like_clean(db, clean_crawl, run_id, why)


def test_a_killed_run_not_resumed_is_closed_saying_what_it_lacks(
    tmp_path: Path, resume_server, clean_crawl
):
    db = tmp_path / "shop.duckdb"
    killed, why = kill_cli_crawl(tmp_path, resume_server.url, db)
    assert killed.returncode == -9, f"{why}\n{killed.output[-2000:]}"
    dead = only_run(db, "running", why)
    before = stored(db)

    # the next run (not a resume) finds the dead one and closes it
    nxt = run_cli(*crawl_args(resume_server.url, db, "--max-pages", "3", *FAST), cwd=tmp_path)
    assert nxt.returncode == 3, f"{why}\n{nxt.stderr[-3000:]}"  # partial: the page limit
    assert len(listed_runs(db, tmp_path)) == 2, why
    closed = [run for run in stored(db).runs if run[0] == dead]
    assert closed == [(dead, "partial")], why
    reason = run_cli("runs", "--db", str(db), cwd=tmp_path, timeout=60).stdout
    lacking = re.search(rf"{re.escape(STALE_REASON)}; {NEVER_FETCHED}", reason)
    assert lacking, f"{why}\n{reason}"
    # every URL it names as never fetched is one a clean crawl stores and the dead one did not
    assert 0 < int(lacking[1]) <= len(set(clean_crawl.urls) - set(before.urls)), why


def test_resume_with_nothing_to_resume_starts_a_new_run_and_says_so(tmp_path: Path, resume_server):
    db = tmp_path / "shop.duckdb"
    args = crawl_args(resume_server.url, db, "--resume", "--max-pages", "3", *FAST)
    first = run_cli(*args, cwd=tmp_path, timeout=120)
    assert first.returncode == 3, first.stderr[-3000:]  # partial: the page limit
    said = [line for line in first.stderr.splitlines() if "nothing to resume" in line]
    expected = f"nothing to resume for {resume_server.url} in {db}: starting a new run"
    assert [re.sub(f"^{STAMP}", "", line) for line in said] == [expected]
    assert re.match(STAMP, said[0])
    run_id = only_run(db, "partial", first.stderr)
    assert f"run {run_id}: partial" in first.stderr
    assert "(resumed)" not in first.stderr
