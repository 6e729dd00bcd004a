"""The fake signal server: real HTTP on 127.0.0.1, failure modes, request counts."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest

from unsilo.signals.fakes import FakeSignals, FakeSignalServer


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def fake():
    data = FakeSignals("http://127.0.0.1:8000")
    data.captures = {f"/p{i}": datetime(2024, 1, 1 + i, tzinfo=UTC) for i in range(3)}
    with FakeSignalServer(data) as server:
        yield server


def test_cdx_pages_with_resume_keys(fake):
    base = f"{fake.url}/cdx/search/cdx?url=x&output=json&limit=2&showResumeKey=true"
    status, _, body = _get(base)
    rows = json.loads(body)
    assert status == 200 and rows[0] == ["timestamp", "original", "statuscode"]
    assert [r[1] for r in rows[1:3]] == ["http://127.0.0.1:8000/p0", "http://127.0.0.1:8000/p1"]
    assert rows[-2:] == [[], ["2"]]
    rows = json.loads(_get(f"{base}&resumeKey=2")[2])
    assert [r[1] for r in rows[1:]] == ["http://127.0.0.1:8000/p2"]
    assert fake.count("/cdx/") == 2


def test_failures_answer_like_real_services_and_heal(fake):
    fake.fail("/cdx", "429", retry_after="120")
    status, headers, _ = _get(f"{fake.url}/cdx/search/cdx?url=x")
    assert status == 429 and headers["Retry-After"] == "120"
    fake.fail("/cdx", None)
    assert _get(f"{fake.url}/cdx/search/cdx?url=x")[0] == 200


def test_unknown_paths_are_404_and_unknown_modes_refused(fake):
    assert _get(f"{fake.url}/nothing/here")[0] == 404
    with pytest.raises(ValueError, match="unknown failure mode"):
        fake.fail("/cdx", "418")
