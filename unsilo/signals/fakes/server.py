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
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from unsilo.signals.endpoints import SignalEndpoints
from unsilo.signals.fakes.data import FakeSignals

FAILURE_MODES = ("400", "401", "403", "404", "429", "500", "503", "malformed", "drop")
Answer = tuple[int, dict[str, str], bytes]
JSON_TYPE = "application/json; charset=utf-8"
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


class FakeSignalServer:
    """Context manager: a threaded HTTP server of the fake signal sources on 127.0.0.1:0."""

    def __init__(self, data: FakeSignals, modules: tuple[str, ...] | None = None) -> None:
        self.failures: dict[str, tuple[str, str]] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
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
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSignalServer is not running: use it in a with block")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def endpoints(self) -> SignalEndpoints:
        return SignalEndpoints.local(self.url)

    def fail(self, path: str, mode: str | None, *, retry_after: str = "30") -> None:
        """Make requests whose path starts with ``path`` fail with ``mode``; ``None`` heals.

        ``retry_after`` is sent with 429, as delta-seconds or an HTTP-date.
        """
        if mode is None:
            self.failures.pop(path, None)
            return
        if mode not in FAILURE_MODES:
            raise ValueError(f"unknown failure mode {mode!r}; use one of {FAILURE_MODES}")
        self.failures[path] = (mode, retry_after)

    def count(self, path: str) -> int:
        """How many requests were made to paths starting with ``path``."""
        with self._lock:
            return sum(1 for r in self.requests if urlsplit(r).path.startswith(path))

    def __enter__(self) -> FakeSignalServer:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def answer(self, raw_path: str, headers: Mapping[str, str], body: bytes = b"") -> Answer:
        """The response to a request of ``raw_path`` (path and query)."""
        parts = urlsplit(raw_path)
        with self._lock:
            self.requests.append(raw_path)
        failure = next((f for p, f in self.failures.items() if parts.path.startswith(p)), None)
        if failure is not None:
            return _failure(*failure)
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


def _handler(fake: FakeSignalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _reply(self, body: bytes = b"") -> None:
            status, headers, payload = fake.answer(self.path, dict(self.headers), body)
            if status == 0:  # "drop": close without an answer, as a reset connection does
                return
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:  # noqa: N802 (the name http.server dispatches to)
            self._reply()

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            self._reply(self.rfile.read(length) if length else b"")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Quiet: tests read ``fake.requests`` instead of stderr."""

    return Handler


def _failure(mode: str, retry_after: str) -> Answer:
    """The failure as public APIs send it (status, headers, body)."""
    if mode == "drop":
        return 0, {}, b""
    if mode == "malformed":
        return 200, {"Content-Type": JSON_TYPE}, b'{"hits": [{"url": '
    status = int(mode)
    headers = {"Retry-After": retry_after} if status == 429 else {}
    return json_answer(status, {"error": f"HTTP {status}"}, headers)


def json_answer(status: int, body: Any, headers: dict[str, str] | None = None) -> Answer:
    """A JSON answer, for routes."""
    return status, {"Content-Type": JSON_TYPE, **(headers or {})}, json.dumps(body).encode()
