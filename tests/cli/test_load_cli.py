"""`unsilo load` as a user meets it: folders of jobs, globs, one-line errors that record no run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result

from tests.conftest import run_cli
from tests.feed_jobs import SITE, shop_items, write_job
from unsilo.cli import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, main
from unsilo.pipeline.feeds import RUN_FILE, serialize, write_json


def load(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["load", *map(str, args)])


def stored_runs(db: Path) -> list[tuple]:
    """(run_id, status, reason) per stored run; none when no database was made."""
    if not db.exists():
        return []
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select run_id, status, reason from runs order by run_id").fetchall()
    finally:
        con.close()


def assert_one_line_error(result: Result, code: int = EXIT_FAILED) -> str:
    """The error is one line on stderr and nothing was raised past the CLI; its text."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    (line,) = result.stderr.splitlines()
    assert line.startswith("unsilo: error: ")
    return line


def test_a_folder_of_jobs_loads_each_judged_from_its_own_stats(tmp_path: Path) -> None:
    feeds, db = tmp_path / "unsilo-feeds", tmp_path / "shop.duckdb"
    write_job(feeds, "2026-11-24T090000Z-aaaaaa", shop_items())
    write_job(
        feeds, "2026-11-25T090000Z-bbbbbb", shop_items(), stats={"finish_reason": "cancelled"}
    )
    result = load(feeds, "--db", db)
    assert result.exit_code == EXIT_PARTIAL, result.output  # the worst of the runs
    assert stored_runs(db) == [
        ("2026-11-24T090000Z-aaaaaa", "complete", None),
        ("2026-11-25T090000Z-bbbbbb", "partial", "crawl stopped early: cancelled"),
    ]
    out = result.stdout.splitlines()
    assert out[0].startswith("run 2026-11-24T090000Z-aaaaaa: complete; loaded 3 pages, 6 links")
    assert out[1].startswith("run 2026-11-25T090000Z-bbbbbb: partial (crawl stopped early: ")


def test_a_quoted_glob_loads_the_jobs_it_matches(tmp_path: Path) -> None:
    feeds, db = tmp_path / "unsilo-feeds", tmp_path / "shop.duckdb"
    for run_id in (
        "2026-10-01T090000Z-aaaaaa",
        "2026-11-01T090000Z-bbbbbb",
        "2026-11-02T090000Z-cc",
    ):
        write_job(feeds, run_id, shop_items())
    result = load(str(feeds / "2026-11-*"), "--db", db)
    assert result.exit_code == EXIT_OK, result.output
    assert [r[0] for r in stored_runs(db)] == ["2026-11-01T090000Z-bbbbbb", "2026-11-02T090000Z-cc"]


def test_loading_a_feeds_folder_again_skips_the_jobs_already_loaded(tmp_path: Path) -> None:
    """A cron line loads Scrapyd's feeds folder every night: old jobs are skipped, new load."""
    feeds, db = tmp_path / "feeds", tmp_path / "shop.duckdb"
    job = write_job(feeds, "r1", shop_items())
    assert load(job, "--db", db).exit_code == EXIT_OK
    write_job(feeds, "r2", shop_items())
    again = load(feeds, "--db", db)
    assert again.exit_code == EXIT_OK, again.output
    assert f"run r1: already in {db}; skipped {job}" in again.output
    assert "run r2: complete" in again.output
    assert stored_runs(db) == [("r1", "complete", None), ("r2", "complete", None)]
    assert load(feeds, "--db", db).exit_code == EXIT_OK  # nothing new: fine, not an error


def test_a_job_named_twice_loads_once(tmp_path: Path) -> None:
    feeds, db = tmp_path / "unsilo-feeds", tmp_path / "shop.duckdb"
    job = write_job(feeds, "r1", shop_items())
    result = load(feeds, job, "--db", db)
    assert result.exit_code == EXIT_OK, result.output
    assert stored_runs(db) == [("r1", "complete", None)]


def test_a_mistake_in_any_source_loads_nothing(tmp_path: Path) -> None:
    job, db = write_job(tmp_path / "feeds", "r1", shop_items()), tmp_path / "shop.duckdb"
    (tmp_path / "items.jsonl").touch()
    result = load(job, tmp_path / "items.jsonl", "--url", f"{SITE}/", "--db", db)
    assert "is empty or not a file" in assert_one_line_error(result)
    assert stored_runs(db) == []


def empty_folder(tmp: Path) -> list[str]:
    (tmp / "feeds").mkdir()
    return [str(tmp / "feeds")]


def job_without_batches(tmp: Path) -> list[str]:
    write_json(tmp / "job" / RUN_FILE, {"run_id": "r1", "start_url": f"{SITE}/"})
    return [str(tmp / "job")]


def empty_file(tmp: Path) -> list[str]:
    (tmp / "items.jsonl").touch()
    return [str(tmp / "items.jsonl"), "--url", f"{SITE}/"]


def malformed_file(tmp: Path) -> list[str]:
    """A feed whose crawl was killed mid-line: the last line is cut short."""
    whole = serialize(shop_items())
    (tmp / "items.jsonl").write_bytes(whole[: len(whole) - 40])
    return [str(tmp / "items.jsonl"), "--url", f"{SITE}/"]


def foreign_file(tmp: Path) -> list[str]:
    (tmp / "items.jsonl").write_text('{"name": "not an unsilo item"}\n', encoding="utf-8")
    return [str(tmp / "items.jsonl"), "--url", f"{SITE}/"]


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (empty_folder, "holds no feed job folder (no */run.json)"),
        (job_without_batches, "holds no stored rows: nothing to load"),
        (empty_file, "is empty or not a file: nothing to load"),
        (malformed_file, "cannot read "),
        (foreign_file, "holds no unsilo items: nothing to load"),
    ],
    ids=lambda p: getattr(p, "__name__", ""),
)
def test_nothing_loadable_is_a_one_line_error_and_records_no_run(
    tmp_path: Path, make, says: str
) -> None:
    db = tmp_path / "shop.duckdb"
    line = assert_one_line_error(load(*make(tmp_path), "--db", db))
    assert says in line
    assert stored_runs(db) == []


def test_a_malformed_feed_fails_without_a_traceback_in_a_real_process(tmp_path: Path) -> None:
    args = malformed_file(tmp_path)
    result = run_cli("load", *args, "--db", str(tmp_path / "shop.duckdb"), cwd=tmp_path)
    assert result.returncode == EXIT_FAILED
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"unsilo: error: cannot read {tmp_path / 'items.jsonl'}: ")
    assert stored_runs(tmp_path / "shop.duckdb") == []
