"""Run the whole test suite against the lowest versions pyproject.toml allows.

A lower bound in ``[project] dependencies`` is a promise: every ``name>=X`` must be a
version the suite passes with. This script makes a fresh virtualenv outside the work tree,
installs each runtime dependency at exactly its lower bound (``name>=X`` becomes
``name==X``; the test tools unpinned), installs unsilo itself without dependencies, and
runs pytest there. Transitive dependencies (Twisted, lxml …) come at whatever version pip
picks for those pins. It takes as long as the suite (minutes) plus the installs, so it is
not part of the suite; run it after moving a bound.

    python bench/min_versions.py                          # every lower bound, full suite
    python bench/min_versions.py --pin duckdb==1.2.2      # try one version below a bound
    python bench/min_versions.py --venv /tmp/minvenv -- tests/pipeline -x   # pytest args

Exit code: pytest's (0 when the bounds hold), or 3 when pip cannot install the pins.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOWER_BOUND = re.compile(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*>=\s*([^,;\s]+)")


def lower_bound_pins(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """``{"scrapy": "scrapy==2.15"}`` for every runtime dependency declared as ``name>=X``."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins = {}
    for requirement in project["dependencies"]:
        match = LOWER_BOUND.match(requirement)
        if match is None:
            raise SystemExit(f"no lower bound to test in {requirement!r}: write it as name>=X")
        name, version = match.groups()
        pins[name.lower()] = f"{name}=={version}"
    return pins


def extra_test_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The ``test`` extra's requirements, as declared (not pinned: they are not shipped)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return list(project["optional-dependencies"]["test"])


def run(command: list[str], **kwargs: object) -> int:
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, **kwargs).returncode  # type: ignore[call-overload]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, help="virtualenv folder (default: a fresh temp one)")
    parser.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="NAME==VERSION",
        help="install this version instead of the declared lower bound (repeatable)",
    )
    parser.add_argument("pytest_args", nargs="*", help="after --: passed to pytest")
    options = parser.parse_args(argv)

    pins = lower_bound_pins()
    for pin in options.pin:
        name = re.split(r"[=<>!~]", pin, maxsplit=1)[0].strip().lower()
        pins[name] = pin
    venv = options.venv or Path(tempfile.mkdtemp(prefix="unsilo-minvenv-"))
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if not python.exists():
        run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if run([*pip, *pins.values(), *extra_test_requirements()]) != 0:
        print("pip could not install these pins together", file=sys.stderr)
        return 3
    run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    run([str(python), "-m", "pip", "check"])  # a clash is reported, the suite still says more
    names = "|".join(re.escape(name) for name in pins)
    freeze = subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True, text=True)
    for line in freeze.stdout.splitlines():
        if re.match(rf"^({names})==", line, flags=re.IGNORECASE):
            print("installed", line)
    pytest_args = options.pytest_args or ["-q", "-p", "no:cacheprovider", "-x"]
    return run([str(python), "-m", "pytest", *pytest_args], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
