"""A minimal stand-in for the signals spider over real HTTP (urllib), for fake-server tests.

It does what the driver does with a source's calls, and no more: send each request with
its method, headers and body; hand 2xx and ``accept``-ed answers to ``parse``; follow
``next``; keep carried shares with a note when a call fails.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from types import ModuleType

from unsilo.signals.items import SignalItem
from unsilo.signals.source import (
    SignalContext,
    SignalFailure,
    SignalRequest,
    SignalResponse,
    SignalTarget,
)


@dataclass
class Outcome:
    signals: list[SignalItem] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    failures: list[SignalFailure] = field(default_factory=list)
    requests: int = 0


def fetch(request: SignalRequest) -> tuple[int, dict[str, str], bytes]:
    """The status, lower-case headers and body of ``request`` sent over HTTP."""
    call = urllib.request.Request(
        request.url, data=request.body, headers=dict(request.headers), method=request.method
    )
    try:
        with urllib.request.urlopen(call, timeout=5) as response:
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, _lower(exc.headers), exc.read()


def run(source: ModuleType, ctx: SignalContext, check: SignalTarget | None = None) -> Outcome:
    """Ask ``source`` about ``check`` (default: the domain) until it has nothing left."""
    check = check or SignalTarget("domain", ctx.domain, ctx.domain)
    asks = source.domain_requests if check.scope == "domain" else source.url_requests
    queue = list(asks(ctx, check))
    outcome = Outcome()
    while queue:
        request = queue.pop(0)
        outcome.requests += 1
        status, headers, body = fetch(request)
        try:
            if status >= 300 and status not in request.accept:
                raise SignalFailure("refused", f"HTTP {status}")
            step = source.parse(SignalResponse(request, request.url, status, body, headers), ctx)
        except SignalFailure as failure:
            outcome.failures.append(failure)
            for signal in request.carry:
                signal.note = f"{request.follow_up or 'details'} unknown: {failure.reason}"
                outcome.signals.append(signal)
            if failure.stop_source:
                break
            continue
        outcome.signals += step.signals
        outcome.partial += [step.partial] if step.partial else []
        queue += step.next
    return outcome


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}
