"""The demo shop over real HTTP on 127.0.0.1: status codes, keep-alive, robots modes, CLI."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import urllib.robotparser
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from unsilo.demo import DemoServer, DemoShop
from unsilo.demo.expectations import build_expectations


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_serves_what_the_shop_renders(server: DemoServer, small_shop: DemoShop) -> None:
    assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/")
    for path in list(small_shop.paths())[::5]:
        status, headers, body = fetch(server.url.rstrip("/") + path)
        assert status == 200
        assert body == small_shop.render(path, server.url).body
        assert int(headers["Content-Length"]) == len(body)


def test_status_codes_over_http(server: DemoServer, small_shop: DemoShop) -> None:
    expected = build_expectations(small_shop)
    base = server.url.rstrip("/")
    assert fetch(base + "/no-such-page")[0] == 404
    assert fetch(base + expected["server_errors"][0])[0] == 500
    # urllib follows the 301 → 302 chain to the category page
    with urllib.request.urlopen(base + "/kampagne", timeout=5) as response:
        final = expected["redirect_chains"]["/kampagne"]["final"]
        assert urlsplit(response.url).path == final and response.status == 200
    assert fetch(base + "/gammel-side")[0] == 404
    status, headers, _ = fetch(base + "/terms")
    assert status == 200 and headers["X-Robots-Tag"] == "noindex"


def test_keep_alive_reuses_one_connection(server: DemoServer, small_shop: DemoShop) -> None:
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        sockets = set()
        for path in ["/", "/about", "/nope", "/robots.txt", "/kampagne", "/"]:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            assert int(response.getheader("Content-Length")) == len(body)
            assert response.version == 11 and not response.will_close
            sockets.add(id(conn.sock))
        assert len(sockets) == 1
    finally:
        conn.close()


def test_head_sends_length_but_no_body(server: DemoServer, small_shop: DemoShop) -> None:
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request("HEAD", "/")
        response = conn.getresponse()
        assert response.read() == b""
        assert int(response.getheader("Content-Length")) == len(
            small_shop.render("/", server.url).body
        )
    finally:
        conn.close()


def test_parallel_requests(server: DemoServer, small_shop: DemoShop) -> None:
    urls = [server.url.rstrip("/") + p for p in small_shop.paths()] * 2
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda u: fetch(u)[0], urls))
    assert statuses == [200] * len(urls)


def test_polite_robots_allows_the_shop(server: DemoServer) -> None:
    parser = urllib.robotparser.RobotFileParser(server.url + "robots.txt")
    parser.read()
    assert parser.can_fetch("unsilo", server.url + "about")
    assert not parser.can_fetch("unsilo", server.url + "cart")


def test_disallow_all_mode_blocks_every_crawler(small_shop: DemoShop) -> None:
    with DemoServer(small_shop, robots="disallow-all") as blocked:
        status, _, body = fetch(blocked.url + "robots.txt")
        assert status == 200 and body == b"User-agent: *\nDisallow: /\n"
        parser = urllib.robotparser.RobotFileParser(blocked.url + "robots.txt")
        parser.read()
        assert not parser.can_fetch("unsilo", blocked.url)
        assert fetch(blocked.url)[0] == 200  # robots.txt is advice: the pages still answer


def test_unknown_robots_mode_is_refused(small_shop: DemoShop) -> None:
    with pytest.raises(ValueError, match="polite"):
        DemoServer(small_shop, robots="sometimes")


def test_stop_closes_the_port(small_shop: DemoShop) -> None:
    server = DemoServer(small_shop)
    server.start()
    url = server.url
    assert fetch(url)[0] == 200
    server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


def test_module_entry_point_prints_url_and_stops_on_sigterm() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "unsilo.demo", "--pages", "40", "--seed", "3", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        status, _, body = fetch(url + "about")
        assert status == 200
        assert body == DemoShop(pages=40, seed=3).render("/about", url).body
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert proc.stderr.read() == ""  # quiet: no per-request log lines
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_module_entry_point_rejects_bad_sizes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "unsilo.demo", "--pages", "5"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "--pages must be between 30 and 100000" in result.stderr


def test_a_taken_demo_port_falls_back_to_a_free_one_only_when_allowed() -> None:
    """`unsilo audit --demo` asks for one port so that demo runs compare page by page (a
    page's key holds its port); a second demo running at the same time still starts."""
    shop = DemoShop(pages=30)
    with DemoServer(shop) as first:
        taken = int(first.url.rsplit(":", 1)[1].strip("/"))
        with DemoServer(shop, port=taken, any_port_if_taken=True) as second:
            assert second.url != first.url
            assert urllib.request.urlopen(second.url).status == 200
        with pytest.raises(OSError):
            DemoServer(shop, port=taken).start()
