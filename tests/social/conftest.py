"""Fixtures of the social adapter tests: saved samples and their expected outputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    """The raw bytes of a saved response, as a spider would hand them to an adapter."""
    return lambda name: (FIXTURES / name).read_bytes()


@pytest.fixture
def expected() -> Callable[[str, Any], None]:
    """Assert that adapter output equals the spec saved as ``<name>.expected.json``."""

    def check(name: str, output: Any) -> None:
        spec = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
        assert as_json(output) == spec

    return check


def as_json(value: Any) -> Any:
    """Items (dataclasses, tuples of lists of them) as plain JSON values for comparison."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value
