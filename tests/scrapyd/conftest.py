"""A real Scrapyd on 127.0.0.1, fed by a real ``scrapyd-deploy`` from a copy of the checkout.

Scrapyd gets its own folder in tmp (config, eggs, logs, queue databases, cwd), so nothing
lands in the checkout. Its jobs run through a small runner that hides the editable install
of unsilo: the spiders, pipeline and settings can then only come from the deployed egg, and
an egg that lacks a package fails here instead of in production.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.conftest import ROOT, free_port

# The README's deploy command. scrapyd-client exits 0 whenever Scrapyd answers HTTP 200, and
# Scrapyd answers 200 with {"status": "error"} when it refuses an egg, so the JSON decides.
DEPLOY_COMMAND = """scrapyd-deploy "$@" | tee /dev/stderr | grep -q '"status": "ok"'"""

# What a fresh clone does not have: build output, virtualenvs, crawl output.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "__pycache__", "*.egg-info", "build", "dist", ".pytest_cache",
    ".ruff_cache", "unsilo-feeds", "unsilo-rescue", "unsilo-out", "out", "*.duckdb*",
)  # fmt: skip

EGG_ONLY_RUNNER = '''"""Scrapyd's runner, with unsilo importable only from the deployed egg."""
import atexit
import sys
from pathlib import Path

COMMAND = sys.argv[1]  # crawl or list; Scrapy rewrites sys.argv as it goes

# the editable install's finder maps unsilo.* to the checkout whatever sys.path says
sys.meta_path[:] = [
    f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")
]


def _record() -> None:
    module = sys.modules.get("unsilo.spiders.shop")
    if module is not None:
        with open(Path(__file__).with_name("imported-from.txt"), "a") as out:
            out.write(f"{COMMAND} {module.__file__}\\n")


atexit.register(_record)
from scrapyd.runner import main  # noqa: E402

main()
'''


def scrapyd_config(port: int) -> str:
    """Scrapyd's own config: loopback only, its folders relative to its cwd, fast polling."""
    return f"""[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = eggs
logs_dir = logs
dbs_dir = dbs
items_dir =
jobs_to_keep = 20
poll_interval = 0.2
max_proc = 4
runner = egg_only_runner
"""


@dataclass
class Scrapyd:
    """A running Scrapyd and its folder."""

    url: str
    root: Path
    process: subprocess.Popen

    def get(self, endpoint: str, **params: str) -> dict[str, Any]:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}{endpoint}?{query}", timeout=30) as answer:
            return json.load(answer)

    def post(self, endpoint: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
        body = urllib.parse.urlencode(fields).encode()
        with urllib.request.urlopen(f"{self.url}{endpoint}", data=body, timeout=30) as answer:
            return json.load(answer)

    def schedule(self, url: str, feed_dir: Path, *settings: str) -> str:
        """Schedule the shop spider as the README does; return the job id."""
        fields = [("project", "unsilo"), ("spider", "shop"), ("url", url)]
        fields += [("setting", s) for s in (f"UNSILO_FEED_DIR={feed_dir}", *settings)]
        answer = self.post("schedule.json", fields)
        assert answer["status"] == "ok", answer
        return answer["jobid"]

    def wait_finished(self, jobs: list[str], timeout: float = 120) -> dict[str, dict[str, Any]]:
        """Poll ``listjobs.json`` until every job in ``jobs`` is finished; return them by id."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            finished = {j["id"]: j for j in self.get("listjobs.json", project="unsilo")["finished"]}
            if all(job in finished for job in jobs):
                return {job: finished[job] for job in jobs}
            time.sleep(0.3)
        raise AssertionError(f"jobs {jobs} not finished after {timeout}s\n{self.log_tail()}")

    def job_log(self, job: str) -> str:
        return (self.root / "logs" / "unsilo" / "shop" / f"{job}.log").read_text()

    def log_tail(self) -> str:
        return (self.root / "scrapyd.log").read_text()[-4000:]

    def imported_from(self) -> list[tuple[str, str]]:
        """(runner command, file of unsilo.spiders.shop) for every job that imported it."""
        record = self.root / "imported-from.txt"
        lines = record.read_text().splitlines() if record.exists() else []
        return [tuple(line.split(" ", 1)) for line in lines]  # type: ignore[misc]


def job_times(job: dict[str, Any]) -> tuple[datetime, datetime]:
    return datetime.fromisoformat(job["start_time"]), datetime.fromisoformat(job["end_time"])


def _wait_until_up(server: Scrapyd, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"scrapyd exited early\n{server.log_tail()}")
        try:
            if server.get("daemonstatus.json")["status"] == "ok":
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"scrapyd did not answer in {timeout}s\n{server.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    """Stop scrapyd and any job it still runs; nothing of it outlives the tests."""
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scrapyd]:
    root = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    (root / "scrapyd.conf").write_text(scrapyd_config(port))
    (root / "egg_only_runner.py").write_text(EGG_ONLY_RUNNER)
    # HOME: no ~/.scrapyd.conf or ~/.scrapy.cfg of the machine's user changes the setup
    env = {**os.environ, "HOME": str(root), "PYTHONUNBUFFERED": "1"}
    with open(root / "scrapyd.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"], cwd=root, env=env, stdout=log, stderr=log
        )
    server = Scrapyd(url=f"http://127.0.0.1:{port}/", root=root, process=process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project as a fresh clone has it (scrapyd-deploy writes its build output there)."""
    copy = tmp_path_factory.mktemp("clone") / "unsilo"
    shutil.copytree(ROOT, copy, ignore=NOT_IN_A_CLONE)
    return copy


def deploy(checkout: Path, scrapyd_url: str, *args: str) -> subprocess.CompletedProcess:
    """Run the README's deploy command in ``checkout`` against the ``remote`` target."""
    env = {
        **os.environ,
        "UNSILO_SCRAPYD_URL": scrapyd_url,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return subprocess.run(
        ["bash", "-c", DEPLOY_COMMAND, "scrapyd-deploy", "remote", *args],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def answer_of(deployed: subprocess.CompletedProcess) -> dict[str, Any]:
    """Scrapyd's JSON answer, which the deploy command echoes to stderr."""
    lines = [line for line in deployed.stderr.splitlines() if line.startswith("{")]
    assert lines, deployed.stderr
    return json.loads(lines[-1])


def repo_state() -> tuple[frozenset[str], frozenset[str]]:
    """What is at the top of the checkout, and in its default feed folder."""
    feeds = ROOT / "unsilo-feeds"
    inside = frozenset(p.name for p in feeds.iterdir()) if feeds.is_dir() else frozenset()
    return frozenset(p.name for p in ROOT.iterdir()), inside
