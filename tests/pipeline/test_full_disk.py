"""A full disk or a file-size limit: one line, exit 4, the real error, no row silently lost.

Two real faults, no root needed: a file-size limit (``RLIMIT_FSIZE``, with ``SIGXFSZ``
ignored so writes fail with EFBIG) on a whole ``unsilo audit``, and, where the kernel lets
an unprivileged user mount one, a 3 MB tmpfs holding the database (ENOSPC). The batch
logic is also tested alone, with a job folder that refuses writes.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.pipeline.test_store_rescue import links
from unsilo.pipeline import rescue as rescue_module
from unsilo.pipeline import store as store_module
from unsilo.pipeline.db import StorageError, connect, transaction
from unsilo.pipeline.feeds import rows_in
from unsilo.pipeline.rescue import rescue_dirs, stored_everywhere
from unsilo.pipeline.run_history import list_runs
from unsilo.pipeline.store import ItemStore

AUDIT = ["-m", "unsilo", "audit", "--demo", "--no-social", "--no-signals", "-q"]


@pytest.fixture
def rescue_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    roots = [tmp_path / "tmp", tmp_path / "home" / ".cache"]
    monkeypatch.setattr(
        rescue_module, "rescue_dirs", lambda run_id: [r / "unsilo-rescue" / run_id for r in roots]
    )
    return roots


def refusing_job_folder(monkeypatch: pytest.MonkeyPatch, job: Path, code: int) -> None:
    """Writes under ``job`` fail as a full disk does; every other folder works."""
    real = store_module.write_batch

    def write_batch(root: Path, tables: dict, *, after: int = 0) -> Path:
        if Path(root) == job:
            raise OSError(code, os.strerror(code))
        return real(root, tables, after=after)

    monkeypatch.setattr(store_module, "write_batch", write_batch)


def test_a_batch_its_disk_refuses_is_rescued_and_stored_once(
    tmp_path: Path, rescue_roots: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = tmp_path / "job"
    store = ItemStore(None, "r1", batch_size=3, feed_dir=job)
    store.add(links(3)[0])
    store.add(links(3)[1])
    store.add(links(3)[2])  # batch 1 in the job folder
    refusing_job_folder(monkeypatch, job, errno.ENOSPC)
    monkeypatch.setattr(rescue_module, "_device", lambda path: -1)  # the full disk is another
    with pytest.raises(StorageError, match="No space left on device; kept in .*unsilo-rescue"):
        for item in links(6)[3:]:
            store.add(item)  # batch 2 rescued
    monkeypatch.undo()
    for item in links(9)[6:]:
        store.add(item)  # batch 3 in the job folder again, numbered after the rescued one
    assert store.rescued["links"] == 3 and store.lost["links"] == 0
    rescued = rescue_roots[0] / "unsilo-rescue" / "r1"
    assert [p.name for p in rescued.iterdir()] == ["part-000002"]
    assert sorted(p.name for p in job.glob("part-*")) == ["part-000001", "part-000003"]

    con = connect(":memory:")
    monkeypatch.setattr(rescue_module, "rescue_dirs", lambda run_id: [rescued.parent / run_id])
    assert stored_everywhere(con, "r1", job)["links"] == 9
    assert stored_everywhere(con, "r1", job)["links"] == 0  # each batch exactly once
    assert con.execute("select count(distinct target_url) from links").fetchone() == (9,)
    assert not rescued.exists()  # stored, so the rescue folder goes


def test_a_batch_no_folder_takes_is_counted_lost(
    tmp_path: Path, rescue_roots: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for root in rescue_roots:  # a file where each rescue folder's parent should be
        root.parent.mkdir(parents=True, exist_ok=True)
        root.write_text("not a folder")
    job = tmp_path / "job"
    refusing_job_folder(monkeypatch, job, errno.EFBIG)
    store = ItemStore(None, "r1", batch_size=2, feed_dir=job)
    store.add(links(2)[0])
    with pytest.raises(StorageError, match="File too large; no folder .* they are lost"):
        store.add(links(2)[1])
    assert store.lost["links"] == 2 and store.rescued["links"] == 0


def test_a_failed_transaction_raises_its_own_error() -> None:
    con = connect(":memory:")
    with pytest.raises(ZeroDivisionError), transaction(con):
        con.execute("insert into run_batches values ('r', 'part-000001')")
        raise ZeroDivisionError
    assert con.execute("select count(*) from run_batches").fetchone() == (0,)


def _run_audit(
    cwd: Path, *, preexec=None, wrap: list[str] | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "TMPDIR": str(cwd / "tmp"), "HOME": str(cwd / "home")}
    (cwd / "tmp").mkdir(exist_ok=True)
    return subprocess.run(
        [*(wrap or []), sys.executable, *AUDIT, "--db", "db/shop.duckdb", "--out", "out"],
        cwd=cwd,
        env=env,
        preexec_fn=preexec,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _one_line_error(stderr: str) -> str:
    assert "Traceback" not in stderr and "cannot rollback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("unsilo: error: run "), stderr[-2000:]
    return last


def test_a_file_size_limit_loses_rows_and_says_how_many(tmp_path: Path) -> None:
    """Every file is capped at 1 MB: the batches (about 1.2 MB) fit nowhere, and the
    database stops growing. The run row and the error line say how many rows were lost."""
    resource = pytest.importorskip("resource")
    import signal

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))

    done = _run_audit(tmp_path, preexec=limit)
    assert done.returncode == 4, done.stderr[-2000:]
    line = _one_line_error(done.stderr)
    lost = int(re.search(r"(\d+) rows are lost: no folder had room for them", line)[1])
    assert lost > 1000
    assert "File too large" in done.stderr
    (run,) = list_runs(connect(tmp_path / "db" / "shop.duckdb"))
    assert run["status"] == "partial"
    assert f"{lost} rows are lost: no folder had room for them" in run["reason"]
    assert not (tmp_path / "out" / "report.html").exists()


def _can_mount_tmpfs() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    with tempfile.TemporaryDirectory() as where:
        probe = f"mount -t tmpfs -o size=1m tmpfs {where}"
        done = subprocess.run(["unshare", "-Urm", "sh", "-c", probe], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(
    not _can_mount_tmpfs(),
    reason="needs Linux unprivileged user namespaces (unshare -Urm) to mount a small tmpfs",
)
def test_a_full_disk_moves_rows_to_a_rescue_folder_and_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database lives on a 3 MB filesystem: batches go to the rescue folder (TMPDIR),
    the run row says why and where, and those rows load later, each exactly once."""
    (tmp_path / "db").mkdir()
    (tmp_path / "copy").mkdir()
    script = (
        f"mount -t tmpfs -o size=3m tmpfs {tmp_path / 'db'} && "
        f'"$@"; code=$?; cp {tmp_path / "db"}/shop.duckdb {tmp_path / "copy"}/; exit $code'
    )
    done = _run_audit(tmp_path, wrap=["unshare", "-Urm", "sh", "-c", script, "sh"])
    assert done.returncode == 4, done.stderr[-2000:]
    line = _one_line_error(done.stderr)
    assert "No space left on device" in line
    match = re.search(r"(\d+) rows could not be stored .* kept in (\S+) and stored", line)
    assert match, line
    kept, folder = int(match[1]), Path(match[2])
    assert folder.parent == tmp_path / "tmp" / "unsilo-rescue"
    assert rows_in(sorted(folder.glob("part-*"))) == kept > 1000

    con = connect(tmp_path / "copy" / "shop.duckdb")
    (run,) = list_runs(con)
    assert run["status"] == "partial" and run["run_id"] == folder.name
    assert f"{kept} rows could not be stored in the database" in run["reason"]
    assert "No space left on device" in run["reason"] and str(folder) in run["reason"]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    assert rescue_dirs(folder.name)[0] == folder
    stored = stored_everywhere(con, folder.name, tmp_path / "no-job")
    assert sum(stored.values()) == kept
    assert con.execute("select count(*) from pages").fetchone()[0] > 100
