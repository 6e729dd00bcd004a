"""A small shop with the faults a real crawl meets, served on 127.0.0.1 for tests and bench/.

The shop itself is tiny and fixed (``REAL_PAGES``: home, three categories, twelve products and
one page only the sitemap names), so a test can say exactly which real pages a crawl must
reach however hostile the server is. Each fault is switched on by name (``FAULTS``):

* ``trap`` — an infinite event calendar (``/calendar/YYYY/MM`` with previous/next links, on
  every page) and a random ``?sid=`` appended to every link, as a session-id shop does;
* ``robots-404`` / ``robots-500`` / ``robots-unreachable`` (the connection is dropped) /
  ``robots-redirect`` (three hops, then rules that disallow ``/category/c``) /
  ``robots-huge`` (10 MB: ``Disallow: /category/b`` first, ``Disallow: /`` after 600 KiB) /
  ``robots-googlebot-only`` (every crawler but Googlebot disallowed);
* ``retry-after`` — ``/busy`` answers 429 with ``Retry-After: 1`` once, ``/maintenance`` 503
  with an HTTP-date ``Retry-After`` once, ``/refusing`` 429 every time;
* ``bad-redirects`` — ``/go/js``, ``/go/data``, ``/go/file`` redirect to ``javascript:``,
  ``data:`` and ``file:`` URLs.

The server records every request (path and time) in ``hits``, so a test can assert when a
retry came and that a target was never asked for. New faults: a name in ``FAULTS``, a branch
in ``FaultShop.respond``.
"""

from __future__ import annotations

import calendar
import secrets
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from unsilo.demo.server import DemoServer

FAULTS = (
    "trap",
    "robots-404",
    "robots-500",
    "robots-unreachable",
    "robots-redirect",
    "robots-huge",
    "robots-googlebot-only",
    "retry-after",
    "bad-redirects",
)
CATEGORIES = ("a", "b", "c")
PRODUCTS_PER_CATEGORY = 4
SITEMAP_ONLY = "/hidden-offer"
REAL_PAGES = (
    "/",
    *(f"/category/{c}" for c in CATEGORIES),
    *(f"/product/{c}-{n}" for c in CATEGORIES for n in range(1, PRODUCTS_PER_CATEGORY + 1)),
    SITEMAP_ONLY,
)
"""The shop's own pages: what a crawl should reach whatever the faults."""
BAD_REDIRECTS = {
    "/go/js": "javascript:alert(document.cookie)",
    "/go/data": "data:text/html,<script>alert(1)</script>",
    "/go/file": "file:///etc/passwd",
}
RETRY_PATHS = ("/busy", "/maintenance", "/refusing")
HUGE_ROBOTS_BYTES = 10 * 1024 * 1024


@dataclass
class Reply:
    """What the server sends; ``drop`` closes the connection without an answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


def _html(title: str, body: str) -> Reply:
    text = (
        f'<!DOCTYPE html><html lang="en"><head><title>{escape(title)}</title></head>'
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    return Reply(200, text.encode(), {"Content-Type": "text/html; charset=utf-8"})


class FaultShop:
    """The pages and faults; ``respond(path)`` is what the server sends (thread-safe)."""

    def __init__(self, faults: tuple[str, ...] | list[str] = ()) -> None:
        unknown = set(faults) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {', '.join(FAULTS)}")
        self.faults = frozenset(faults)
        self.base = ""
        self.hits: list[tuple[str, float]] = []
        self._lock = threading.Lock()

    def hit_count(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.hits if p == path)

    def hit_times(self, path: str) -> list[float]:
        with self._lock:
            return [t for p, t in self.hits if p == path]

    def respond(self, raw_path: str) -> Reply:
        path = raw_path.split("?", 1)[0]
        with self._lock:
            seen_before = any(p == path for p, _ in self.hits)
            self.hits.append((path, time.monotonic()))
        if path == "/robots.txt" or path.startswith("/robots-hop/"):
            return self._robots(path)
        if path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{self.base}{p.lstrip('/')}</loc></url>" for p in REAL_PAGES)
            body = f'<?xml version="1.0"?><urlset xmlns="{_SITEMAP_NS}">{urls}</urlset>'
            return Reply(200, body.encode(), {"Content-Type": "application/xml"})
        if "bad-redirects" in self.faults and path in BAD_REDIRECTS:
            return Reply(302, b"", {"Location": BAD_REDIRECTS[path]})
        if "retry-after" in self.faults and path in RETRY_PATHS:
            return self._retry_after(path, seen_before)
        return self._page(path)

    # --- pages --------------------------------------------------------------------

    def link(self, path: str) -> str:
        """A link as the shop writes it: with a fresh session id when the trap is on."""
        if "trap" in self.faults:
            return f"{path}?sid={secrets.token_hex(8)}"
        return path

    def _nav(self) -> str:
        links = [("/", "Home"), *((f"/category/{c}", f"Category {c.upper()}") for c in CATEGORIES)]
        if "trap" in self.faults:
            links.append(("/calendar/2026/12", "Events"))
        if "retry-after" in self.faults:
            links += [(p, p.strip("/")) for p in RETRY_PATHS]
        if "bad-redirects" in self.faults:
            links += [(p, p) for p in BAD_REDIRECTS]
        return "<nav>" + "".join(f'<a href="{self.link(h)}">{escape(t)}</a> ' for h, t in links)

    def _page(self, path: str) -> Reply:
        if path == "/":
            return _html("Fault shop", self._nav() + "<p>Welcome to the fault shop.</p>")
        if path == SITEMAP_ONLY:
            return _html("Hidden offer", self._nav() + "<p>Only the sitemap names this page.</p>")
        if path.startswith("/category/") and path[10:] in CATEGORIES:
            c = path[10:]
            items = "".join(
                f'<li><a href="{self.link(f"/product/{c}-{n}")}">Product {c}{n}</a></li>'
                for n in range(1, PRODUCTS_PER_CATEGORY + 1)
            )
            return _html(f"Category {c.upper()}", self._nav() + f"<ul>{items}</ul>")
        if path.startswith("/product/") and path[9:] in _PRODUCT_SLUGS:
            return _html(f"Product {path[9:]}", self._nav() + f"<p>All about {path[9:]}.</p>")
        if path in RETRY_PATHS:
            return _html(path.strip("/").title(), self._nav())
        if "trap" in self.faults and path.startswith("/calendar/"):
            return self._calendar(path)
        return Reply(404, b"<h1>Not found</h1>", {"Content-Type": "text/html"})

    def _calendar(self, path: str) -> Reply:
        try:
            year, month = (int(part) for part in path.split("/")[2:4])
        except ValueError:
            return Reply(404, b"", {"Content-Type": "text/html"})
        prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
        next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
        body = (
            self._nav() + "<p>No events this month.</p>"
            f'<a href="{self.link(f"/calendar/{prev_y}/{prev_m:02d}")}">previous</a> '
            f'<a href="{self.link(f"/calendar/{next_y}/{next_m:02d}")}">next</a>'
        )
        return _html(f"Events {_MONTHS[month - 1]} {year}", body)

    # --- faults -------------------------------------------------------------------

    def _robots(self, path: str) -> Reply:
        rules = f"User-agent: *\nAllow: /\nSitemap: {self.base}sitemap.xml\n"
        text = {"Content-Type": "text/plain"}
        if "robots-404" in self.faults:
            return Reply(404, b"not here", text)
        if "robots-500" in self.faults:
            return Reply(500, b"oops", text)
        if "robots-unreachable" in self.faults:
            return Reply(drop=True)
        if "robots-redirect" in self.faults:
            hop = 0 if path == "/robots.txt" else int(path.rsplit("/", 1)[1])
            if hop < 3:
                return Reply(301, b"", {"Location": f"/robots-hop/{hop + 1}"})
            return Reply(200, (rules + "Disallow: /category/c\n").encode(), text)
        if "robots-googlebot-only" in self.faults:
            only = "User-agent: Googlebot\nAllow: /\n\nUser-agent: *\nDisallow: /\n"
            return Reply(200, only.encode(), text)
        if "robots-huge" in self.faults:
            head = (rules + "Disallow: /category/b\n").encode()
            filler = b"# " + b"x" * 98 + b"\n"
            body = head + filler * (600 * 1024 // len(filler)) + b"User-agent: *\nDisallow: /\n"
            body += filler * ((HUGE_ROBOTS_BYTES - len(body)) // len(filler))
            body += b"#" * (HUGE_ROBOTS_BYTES - len(body))
            return Reply(200, body, text)
        return Reply(200, rules.encode(), text)

    def _retry_after(self, path: str, seen_before: bool) -> Reply:
        if path == "/busy" and not seen_before:
            return Reply(429, b"slow down", {"Retry-After": "1"})
        if path == "/maintenance" and not seen_before:
            when = formatdate(time.time() + 2, usegmt=True)
            return Reply(503, b"maintenance", {"Retry-After": when})
        if path == "/refusing":
            return Reply(429, b"go away", {"Retry-After": "1"})
        return self._page(path)


_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_PRODUCT_SLUGS = {f"{c}-{n}" for c in CATEGORIES for n in range(1, PRODUCTS_PER_CATEGORY + 1)}
_MONTHS = tuple(calendar.month_name)[1:]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _FaultHTTPServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        reply = self.server.shop.respond(self.path)
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silent: a trap crawl makes thousands of requests."""


class _FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], shop: FaultShop) -> None:
        super().__init__(address, _Handler)
        self.shop = shop


class FaultServer(DemoServer):
    """A ``FaultShop`` on a free port in a daemon thread; a context manager.

    >>> with FaultServer(["trap"]) as server:  # doctest: +SKIP
    ...     urllib.request.urlopen(server.url).status
    200
    """

    def __init__(self, faults: tuple[str, ...] | list[str] = (), port: int = 0) -> None:
        self.shop: FaultShop = FaultShop(faults)  # type: ignore[assignment]
        self._address = ("127.0.0.1", port)
        self._server = None
        self._thread = None
        self.url = ""

    def _make_server(self) -> ThreadingHTTPServer:
        server = _FaultHTTPServer(self._address, self.shop)
        self.shop.base = f"http://127.0.0.1:{server.server_address[1]}/"
        return server
