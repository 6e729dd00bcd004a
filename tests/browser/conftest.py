"""The browser for the layout tests, and the report builders they share with tests/reports.

The layout tests never skip: a missing Chromium fails them with a one-line hint (the test
command in the README installs it when it is missing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.chrome import INSTALL_HINT, Chrome, chromium_path
from tests.reports.conftest import con, db, shop  # noqa: F401 - the report builders' fixtures


@pytest.fixture(scope="session")
def chrome() -> Iterator[Chrome]:
    binary = chromium_path()
    if binary is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    with Chrome(binary) as browser:
        yield browser
