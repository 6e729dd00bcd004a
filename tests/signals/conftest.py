"""Fixtures of the signal source tests: the saved samples, and a context for their shop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from unsilo.signals.source import SignalContext, SignalRequest, SignalResponse, SignalTarget

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_SHOP = "https://nordlysgoods.example/"  # the fictional shop of the samples


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    """The raw bytes of a saved response (copied from ``shared/samples``; see SOURCES.md)."""
    return lambda name: (FIXTURES / name).read_bytes()


@pytest.fixture
def ctx() -> SignalContext:
    """The samples' shop, fetched at a fixed time."""
    return SignalContext.for_site(SAMPLE_SHOP, fetched_at="2026-12-01T00:00:00+00:00")


def answer(request: SignalRequest, body: bytes, status: int = 200, **headers: str):
    """``request`` answered with ``body``, as the spider would hand it to ``parse``."""
    return SignalResponse(
        request, request.url, status, body, {k.lower(): v for k, v in headers.items()}
    )


def domain_check(ctx: SignalContext) -> SignalTarget:
    return SignalTarget("domain", ctx.domain, ctx.domain)
