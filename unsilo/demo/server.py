"""Serving the demo shop over HTTP/1.1 on 127.0.0.1, in a thread or in the foreground.

``ThreadingHTTPServer`` with keep-alive, exact ``Content-Length`` and no per-request log
lines: the server must never be the bottleneck (or the noise) of a crawl benchmark.
"""

from __future__ import annotations

import signal
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from unsilo.demo.shop import DemoResponse, DemoShop

ROBOTS_MODES = ("polite", "disallow-all")
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"
_REASONS = {status.value: status.phrase for status in HTTPStatus}
NOT_FOUND = b'<!DOCTYPE html><html lang="da"><title>Ikke fundet</title><h1>404</h1></html>'


class _ShopServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], shop: DemoShop, robots: str) -> None:
        super().__init__(address, _Handler)
        self.shop = shop
        self.robots = robots
        host, port = self.server_address[:2]
        self.url = f"http://{host}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "NordlysDemo/1.0"
    # Headers and body go out as two writes; with Nagle on, the client's delayed ACK
    # stalls every keep-alive response by ~40 ms.
    disable_nagle_algorithm = True
    server: _ShopServer

    def _response(self) -> DemoResponse:
        if self.path.split("?", 1)[0] == "/robots.txt" and self.server.robots == "disallow-all":
            return DemoResponse(200, {"Content-Type": "text/plain"}, DISALLOW_ALL.encode())
        response = self.server.shop.render(self.path, self.server.url)
        if response is None:
            return DemoResponse(404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND)
        return response

    def _send(self, with_body: bool) -> None:
        """Status line, headers and body in one write: one syscall, one TCP segment train."""
        if not self.path.startswith("/"):
            self.send_error(400)
            return
        response = self._response()
        head = [
            f"{self.protocol_version} {response.status} {_REASONS.get(response.status, '')}",
            f"Server: {self.server_version}",
            f"Date: {self.date_time_string()}",
            *(f"{name}: {value}" for name, value in response.headers.items()),
            f"Content-Length: {len(response.body)}",
            "",
            "",
        ]
        data = "\r\n".join(head).encode("latin-1")
        self.wfile.write(data + response.body if with_body else data)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._send(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(with_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silent: a 100k-page crawl must not write 100k lines to stderr."""


DEMO_PORT = 8817
"""The port ``unsilo audit --demo`` asks for first. A page's key holds its port, so demo runs
served on one port compare page by page; a taken port falls back to any free one."""


class DemoServer:
    """The shop on a free port in a daemon thread; use as a context manager in tests.

    >>> with DemoServer(DemoShop(pages=30)) as server:  # doctest: +SKIP
    ...     urllib.request.urlopen(server.url).status
    200
    """

    def __init__(
        self,
        shop: DemoShop,
        host: str = "127.0.0.1",
        port: int = 0,
        robots: str = "polite",
        *,
        any_port_if_taken: bool = False,
    ) -> None:
        if robots not in ROBOTS_MODES:
            raise ValueError(f"robots must be one of {ROBOTS_MODES}, not {robots!r}")
        self.shop = shop
        self._address = (host, port)
        self.robots = robots
        self.any_port_if_taken = any_port_if_taken
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def _make_server(self) -> ThreadingHTTPServer:
        """The HTTP server to run (``unsilo.demo.faults.FaultServer`` serves another)."""
        return _ShopServer(self._address, self.shop, self.robots)

    def start(self) -> None:
        try:
            self._server = self._make_server()
        except OSError:  # the port asked for is taken (another demo, another program)
            if not self.any_port_if_taken or self._address[1] == 0:
                raise
            self._address = (self._address[0], 0)
            self._server = self._make_server()
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}/"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="demo-shop", daemon=True
        )
        self._thread.start()

    def serve(self, shop: DemoShop) -> None:
        """Answer from ``shop`` from the next request on, on the same port (the history
        demo's next month is the same site, so its runs compare with each other)."""
        self.shop = shop
        if self._server is not None:
            self._server.shop = shop  # type: ignore[attr-defined]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_forever(shop: DemoShop, host: str, port: int, robots: str = "polite") -> None:
    """Serve in the foreground: the URL is the first stdout line; stop with SIGTERM or Ctrl-C."""
    if robots not in ROBOTS_MODES:
        raise ValueError(f"robots must be one of {ROBOTS_MODES}, not {robots!r}")
    server = _ShopServer((host, port), shop, robots)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_interrupt)
    print(server.url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.stdout.flush()
