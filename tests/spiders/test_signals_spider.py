"""The signals spider end to end: ``scrapy crawl signals`` in a subprocess against the fakes.

Every way a source can fail must end as a recorded status with a reason — never as an
answered question without shares, which would read "nobody shared it".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, run_cli
from unsilo.signals.fakes import FakeSignals, FakeSignalServer

SHOP = "http://127.0.0.1:8000"


def crawl(db: Path, fake: FakeSignalServer, sources: list[str], *extra: str) -> str:
    """``scrapy crawl signals`` into ``db``; returns its log (stderr)."""
    args = ["-a", f"site={SHOP}", "-a", f"sources={json.dumps(sources)}"]
    args += ["-a", f"endpoints={json.dumps({'local': fake.url})}"]
    settings = ["-s", f"UNSILO_DB={db}", "-s", "RETRY_TIMES=0", "-s", "LOG_LEVEL=INFO"]
    process = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "signals", *args, *extra, *settings],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return process.stderr


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def fake():
    data = FakeSignals(SHOP)
    data.captures = {
        "/": datetime(2019, 5, 1, tzinfo=UTC),
        "/about": datetime(2021, 1, 2, tzinfo=UTC),
    }
    with FakeSignalServer(data) as server:
        yield server


def test_a_healthy_source_stores_its_answers_its_question_and_its_row(tmp_path, fake):
    db = tmp_path / "signals.duckdb"
    crawl(db, fake, ["wayback"])
    assert rows(db, "select url_key, kind, first_seen from url_signals order by 1") == [
        (f"{SHOP}/", "capture", "2019-05-01T00:00:00+00:00"),
        (f"{SHOP}/about", "capture", "2021-01-02T00:00:00+00:00"),
    ]
    assert rows(db, "select scope, target, status, found, requests from signal_checks") == [
        ("domain", "127.0.0.1", "ok", 2, 1)
    ]
    assert rows(db, "select source, status, reason, found from signal_sources") == [
        ("wayback", "ok", None, 2)
    ]
    (run,) = rows(db, "select status, reason from runs")
    assert run == ("complete", "social signals only: no shop pages in this run")


@pytest.mark.parametrize(
    ("mode", "status", "reason"),
    [
        ("429", "rate limited", "HTTP 429 from Wayback Machine; retry after 3600 s"),
        ("500", "source unavailable", "HTTP 500 from Wayback Machine: server error"),
        ("403", "refused", "HTTP 403 from Wayback Machine: access refused"),
        ("malformed", "malformed response", "wayback sent an unreadable body"),
        ("drop", "source unavailable", "wayback unreachable"),
    ],
)
def test_each_failure_is_a_status_with_a_reason_never_none_found(
    tmp_path, fake, mode, status, reason
):
    fake.fail("/cdx", mode, retry_after="3600")
    db = tmp_path / "signals.duckdb"
    crawl(db, fake, ["wayback"])
    assert rows(db, "select count(*) from url_signals") == [(0,)]
    ((check_status, check_reason, found),) = rows(
        db, "select status, reason, found from signal_checks"
    )
    assert check_status == status and check_reason.startswith(reason) and found == 0
    ((source_status, source_reason),) = rows(db, "select status, reason from signal_sources")
    # the only question failed, so the source as a whole is unknown, for the same reason
    assert source_status == status and source_reason.startswith(reason)


def test_a_short_retry_after_is_waited_out_once(tmp_path, fake):
    fake.fail("/cdx", "429", retry_after="1")
    db = tmp_path / "signals.duckdb"

    def heal_after_first_request() -> None:
        # the fake fails until the spider has asked once; then the retry must succeed
        import time

        for _ in range(200):
            if fake.count("/cdx") >= 1:
                fake.fail("/cdx", None)
                return
            time.sleep(0.02)

    import threading

    threading.Thread(target=heal_after_first_request, daemon=True).start()
    crawl(db, fake, ["wayback"])
    assert fake.count("/cdx") == 2
    assert rows(db, "select status from signal_sources") == [("ok",)]
    assert rows(db, "select count(*) from url_signals") == [(2,)]


def _lemmy_crawl(tmp_path: Path, fake: FakeSignalServer, pages: int, *settings: str) -> tuple:
    """Lemmy asked about ``pages`` pages of the shop, unpaced (the fake is local)."""
    listing = tmp_path / "pages.json"
    listing.write_text(json.dumps([f"{SHOP}/p{n}" for n in range(pages)]), encoding="utf-8")
    slots = {"signals-lemmy": {"concurrency": 1, "delay": 0.0}}
    db = tmp_path / "signals.duckdb"
    crawl(
        db, fake, ["lemmy"], "-a", f"pages=@{listing}",
        "-s", f"DOWNLOAD_SLOTS={json.dumps(slots)}", *settings,
    )  # fmt: skip
    sql = "select status, reason, requests, urls_asked, urls_wanted from signal_sources"
    (row,) = rows(db, sql)
    return row


def test_lemmy_with_default_settings_completes_a_normal_shop(tmp_path, fake):
    """200 pages (the default URL budget) at the 5 default instances, one of them on 1.0
    (v3 first, then v4: two calls) = 1,200 calls, over the default cap of 1,000: counted per
    instance, the run finishes instead of stopping 'partial' a sixth of the way short."""
    fake.data.lemmy_instances = {"lemmy.ml": "1.0"}
    status, reason, requests, asked, wanted = _lemmy_crawl(tmp_path, fake, 200)
    assert (status, reason) == ("ok", None)
    assert (requests, asked, wanted) == (1200, 200, 200)


def test_lemmy_stays_bounded_per_instance_on_a_huge_shop(tmp_path, fake):
    """A raised URL budget is still capped: 4 calls per instance × 2 instances = 8 calls."""
    options = json.dumps({"lemmy": {"instances": ["lemmy.world", "feddit.dk"]}})
    status, reason, requests, asked, wanted = _lemmy_crawl(
        tmp_path, fake, 30, "-a", f"options={options}",
        "-s", "UNSILO_SIGNALS_URL_BUDGET=1000", "-s", "UNSILO_SIGNALS_MAX_REQUESTS=4",
    )  # fmt: skip
    assert (status, requests, asked, wanted) == ("partial", 8, 4, 30)
    assert reason == "request budget of 8 spent: 26 pages not asked"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "-a pages=@{path}: cannot read the file (No such file or directory)"),
        ("[not json", "-a pages=@{path} must hold a JSON list of strings: Expecting value"),
        ('{"a": 1}', "-a pages must be a JSON list of strings, got '@{path}'"),
    ],
)
def test_an_unreadable_pages_file_is_one_line_and_the_runs_reason(
    tmp_path, fake, content, expected
):
    """``-a pages=@file`` missing or malformed: one error line, no traceback, and the run
    row says why nothing was asked (the spider closes before its first request)."""
    path = tmp_path / "pages.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    db = tmp_path / "signals.duckdb"
    log = crawl(db, fake, ["wayback"], "-a", f"pages=@{path}")
    message = expected.format(path=path)
    assert "Traceback" not in log
    errors = [line for line in log.splitlines() if " ERROR: " in line]
    assert len(errors) == 1 and errors[0].split(" ERROR: ", 1)[1].startswith(
        f"bad argument: {message}"
    )
    assert fake.count("/cdx") == 0  # nothing was asked
    ((status, reason),) = rows(db, "select status, reason from runs")
    assert reason.startswith(f"nothing asked: bad argument: {message}")
    assert status == "failed"


def test_an_audits_page_limit_caps_the_shop_crawl_not_its_signals(tmp_path: Path) -> None:
    """``--max-pages`` is the shop's limit: the signals step after it has budgets of its own
    and must not stop when it has had as many API answers as the shop had pages."""
    process = run_cli("audit", "--demo", "--demo-pages", "40", "--max-pages", "10", cwd=tmp_path)
    assert process.returncode == 3, process.stderr[-3000:]  # partial: the page limit
    ((status, reason),) = rows(tmp_path / "unsilo.duckdb", "select status, reason from runs")
    assert status == "partial" and "page limit" in reason
    assert "stopped early" not in reason, reason
    asked = rows(tmp_path / "unsilo.duckdb", "select sum(requests) from signal_sources")
    assert asked[0][0] > 10  # more answers than the shop had pages, and the step finished
