"""A local fake of every signal source for tests and demos, on 127.0.0.1 and a free port.

It answers on the real paths with the real shapes; each source group registers its routes
(``unsilo.signals.fakes.<group>.routes``), and any path can be told to fail the way the real
services do::

    with FakeSignalServer(FakeSignals(shop_base, shares)) as fake:
        fake.fail("/api/v1/search", "429", retry_after="3600")
        endpoints = fake.endpoints            # SignalEndpoints pointing at the fake
        fake.count("/cdx/search/cdx")         # requests made to one path
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from unsilo.loopback import JSON_TYPE, Answer, LoopbackFake, json_answer
from unsilo.signals.endpoints import SignalEndpoints
from unsilo.signals.fakes.data import FakeSignals

FAILURE_MODES = ("400", "401", "403", "404", "429", "500", "503", "malformed", "drop")
# The modules whose ``routes(data)`` make up the fake; one per source group.
ROUTE_MODULES: tuple[str, ...] = (
    "unsilo.signals.fakes.archives",
    "unsilo.signals.fakes.news",
    "unsilo.signals.fakes.reddit",
    "unsilo.signals.fakes.fediverse",
    "unsilo.signals.fakes.counts",
)


@dataclass(frozen=True, slots=True)
class FakeCall:
    """One request as a route sees it: the path below any instance prefix, the query
    (every value of a repeated name in ``multi``), headers (lower-case names) and body."""

    path: str
    query: Mapping[str, str]
    multi: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    prefix: str  # "/lemmy/feddit.dk" or "/wiki/da" when the endpoint had one, else ""


Route = Callable[[FakeCall], Answer]


class FakeSignalServer(LoopbackFake):
    """Context manager: a threaded HTTP server of the fake signal sources on 127.0.0.1:0."""

    FAILURE_MODES = FAILURE_MODES

    def __init__(self, data: FakeSignals, modules: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self._modules = ROUTE_MODULES if modules is None else modules
        self.serve(data)

    def serve(self, data: FakeSignals) -> None:
        """Answer from ``data`` from the next request on, on the same port (the history
        demo's next month); the routes are built from the shares, so they are rebuilt."""
        routes: dict[str, Route] = {}
        for name in self._modules:
            routes.update(importlib.import_module(name).routes(data))
        self.data, self._routes = data, routes

    @property
    def endpoints(self) -> SignalEndpoints:
        return SignalEndpoints.local(self.url)

    def __enter__(self) -> FakeSignalServer:
        return super().__enter__()

    def answer(self, raw_path: str, headers: Mapping[str, str], body: bytes = b"") -> Answer:
        """The response to a request of ``raw_path`` (path and query)."""
        failure = self.logged_failure(raw_path)
        if failure is not None:
            return _failure(*failure)
        parts = urlsplit(raw_path)
        prefix, path = _split_prefix(parts.path)
        route = self._routes.get(path)
        if route is None:
            return json_answer(404, {"error": "NotFound", "message": f"no fake for {path}"})
        multi = parse_qs(parts.query)
        call = FakeCall(
            path=path,
            query={k: v[-1] for k, v in multi.items()},
            multi=multi,
            headers={k.lower(): v for k, v in headers.items()},
            body=body,
            prefix=prefix,
        )
        return route(call)


def _split_prefix(path: str) -> tuple[str, str]:
    """``/lemmy/feddit.dk/api/v3/search`` → (``/lemmy/feddit.dk``, ``/api/v3/search``)."""
    for head in ("/lemmy/", "/wiki/"):
        if path.startswith(head):
            name, _, rest = path[len(head) :].partition("/")
            return f"{head}{name}", f"/{rest}"
    return "", path


def _failure(mode: str, retry_after: str) -> Answer:
    """The failure as public APIs send it (status, headers, body)."""
    if mode == "drop":
        return 0, {}, b""
    if mode == "malformed":
        return 200, {"Content-Type": JSON_TYPE}, b'{"hits": [{"url": '
    status = int(mode)
    headers = {"Retry-After": retry_after} if status == 429 else {}
    return json_answer(status, {"error": f"HTTP {status}"}, headers)
