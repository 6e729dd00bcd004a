"""The local fakes' server: a threaded HTTP server on 127.0.0.1 that tests and demos start.

The fake social APIs (``unsilo.social.fakes``) and the fake signal sources
(``unsilo.signals.fakes``) answer different paths with different shapes, but start, stop,
log requests and fail per path the same way; that part lives here once.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

Answer = tuple[int, dict[str, str], bytes]
"""Status, headers and body; status 0 closes the connection without an answer."""
JSON_TYPE = "application/json; charset=utf-8"


def json_answer(status: int, body: Any, headers: dict[str, str] | None = None) -> Answer:
    """A JSON answer, for routes."""
    return status, {"Content-Type": JSON_TYPE, **(headers or {})}, json.dumps(body).encode()


class LoopbackFake:
    """Context manager: serve ``answer`` on 127.0.0.1 and a free port.

    Subclasses answer requests (``answer``) and name the failure modes they can play
    (``FAILURE_MODES``); ``fail`` makes every path below a prefix answer that way.
    """

    FAILURE_MODES: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.failures: dict[str, tuple[str, str]] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not running: use it in a with block")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail(self, path: str, mode: str | None, *, retry_after: str = "30") -> None:
        """Make requests whose path starts with ``path`` fail with ``mode``; ``None`` heals.

        ``retry_after`` is sent with 429, as delta-seconds or an HTTP-date.
        """
        if mode is None:
            self.failures.pop(path, None)
            return
        if mode not in self.FAILURE_MODES:
            raise ValueError(f"unknown failure mode {mode!r}; use one of {self.FAILURE_MODES}")
        self.failures[path] = (mode, retry_after)

    def count(self, path: str) -> int:
        """How many requests were made to paths starting with ``path``."""
        with self._lock:
            return sum(1 for r in self.requests if urlsplit(r).path.startswith(path))

    def logged_failure(self, raw_path: str) -> tuple[str, str] | None:
        """Log the request; the failure (mode, Retry-After) set for its path, if any."""
        with self._lock:
            self.requests.append(raw_path)
        path = urlsplit(raw_path).path
        return next((f for p, f in self.failures.items() if path.startswith(p)), None)

    def answer(self, raw_path: str, headers: dict[str, str], body: bytes = b"") -> Answer:
        """The response to a request of ``raw_path`` (path and query)."""
        raise NotImplementedError

    def __enter__(self) -> Any:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _handler(fake: LoopbackFake) -> type[BaseHTTPRequestHandler]:
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
