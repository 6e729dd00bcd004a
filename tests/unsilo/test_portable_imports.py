"""unsilo starts where POSIX-only modules do not exist (Windows), simulated on this machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Standard-library modules that exist on POSIX only; Windows has none of them.
POSIX_ONLY = ("fcntl", "resource", "termios", "pwd", "grp")

IMPORT_EVERYTHING = f"""
import importlib, pkgutil, sys
for name in {POSIX_ONLY!r}:
    sys.modules[name] = None  # "import fcntl" now raises ImportError, as on Windows
import unsilo, unsilo.cli
for package in ("unsilo", "unsilo.pipeline", "unsilo.spiders", "unsilo.reports"):
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, prefix=package + "."):
        if not info.name.endswith(".__main__"):  # running the CLI is the next test's
            importlib.import_module(info.name)
print("imported", len([m for m in sys.modules if m.startswith("unsilo")]))
"""


def test_every_unsilo_module_imports_without_posix_only_modules() -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) > 40  # the walk reached the whole package


def test_cli_and_database_lock_work_without_posix_only_modules(tmp_path: Path) -> None:
    hide = "; ".join(f"sys.modules[{name!r}] = None" for name in POSIX_ONLY)
    script = f"""import sys; {hide}
from unsilo.cli import main
from unsilo.pipeline.lock import DatabaseLock, is_held
with DatabaseLock(sys.argv[1]):
    assert is_held(sys.argv[1])
assert not is_held(sys.argv[1])
main(["--help"])
"""
    db = tmp_path / "a.duckdb"
    done = subprocess.run([sys.executable, "-c", script, str(db)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "audit" in done.stdout
