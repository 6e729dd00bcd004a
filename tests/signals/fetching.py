"""Make a source's ``SignalRequest`` over real HTTP (urllib), as the driver would, so the
fakes are exercised through the same requests the adapters build."""

from __future__ import annotations

import urllib.error
import urllib.request

from unsilo.signals.source import SignalRequest, SignalResponse


class Refused(Exception):
    """A status outside the request's ``accept``: the driver's to handle, not ``parse``'s."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


def fetch(request: SignalRequest) -> SignalResponse:
    """The answer to ``request``; ``Refused`` for a status ``parse`` would not see."""
    outgoing = urllib.request.Request(
        request.url, data=request.body, headers=dict(request.headers), method=request.method
    )
    try:
        with urllib.request.urlopen(outgoing, timeout=5) as answer:
            status, headers, body = answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, exc.headers, exc.read()
        if status not in request.accept:
            raise Refused(status) from exc
    plain = {name.lower(): value for name, value in headers.items()}
    return SignalResponse(request, request.url, status, body, plain)
