"""The og:image probe in whole crawls of a small shop on 127.0.0.1: each distinct share image
of an indexable page is fetched once, after the pages, and only its head; the run's pages,
status and page limit are as they would be without it."""

from __future__ import annotations

import json
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from tests.conftest import run_scrapy
from tests.spiders.test_social_spider import rows
from unsilo.pipeline.analyse import analyse
from unsilo.pipeline.db import connect
from unsilo.spiders.og_images import OG_IMAGE_HEAD_BYTES, image_size
from unsilo.spiders.shop import ShopSpider

HUGE_BYTES = 30 * 1024 * 1024  # over DOWNLOAD_MAXSIZE (20 MB), announced in Content-Length


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    )


def gif_header(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00" + b"\x00" * 32


def page(og_image: str | None, *, links: tuple[str, ...] = (), noindex: bool = False) -> bytes:
    robots = '<meta name="robots" content="noindex">' if noindex else ""
    og = f'<meta property="og:image" content="{og_image}">' if og_image else ""
    anchors = "".join(f'<a href="{href}">{href}</a>' for href in links)
    return (
        f"<html><head><title>A page of the probe shop, long enough</title>{robots}"
        f'<meta property="og:title" content="t"><meta property="og:type" content="website">'
        f"{og}</head><body><h1>h</h1>{anchors}</body></html>"
    ).encode()


class ProbeShop:
    """A shop whose pages name one og:image each; the server counts what it is asked for."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.huge_sent = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        img = self.url + "/img"
        self.pages = {
            "/": page(f"{img}/wide.png", links=("/a", "/b", "/c", "/d", "/e", "/f", "/g", "/n")),
            "/a": page(f"{img}/huge.png"),
            "/b": page(f"{img}/missing.png"),
            "/c": page(f"{img}/page"),
            "/d": page("/img/relative.png"),
            "/e": page(f"{img}/private/secret.png"),
            "/f": page(f" {img}/wide.png "),  # the same image again, padded: probed once
            "/g": page(f"{img}/small.gif"),
            "/n": page(f"{img}/noindex.png", noindex=True),
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                shop.hits[self.path] += 1
                if self.path == "/robots.txt":
                    self._send(200, "text/plain", b"User-agent: *\nDisallow: /img/private/\n")
                elif self.path in shop.pages:
                    self._send(200, "text/html; charset=utf-8", shop.pages[self.path])
                elif self.path == "/img/wide.png":
                    self._send(200, "image/png", png_header(1200, 630) + b"\0" * 2000)
                elif self.path == "/img/small.gif":
                    self._send(200, "image/gif", gif_header(300, 200))
                elif self.path == "/img/page":
                    self._send(200, "text/html", b"<html>not an image</html>")
                elif self.path == "/img/huge.png":
                    self._huge()
                else:
                    self._send(404, "text/plain", b"not found")

            def _send(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _huge(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(HUGE_BYTES))
                self.end_headers()
                head = png_header(2400, 1260)
                chunk = b"\0" * 65536
                try:
                    self.wfile.write(head)
                    shop.huge_sent = len(head)
                    while shop.huge_sent < HUGE_BYTES:
                        self.wfile.write(chunk)
                        shop.huge_sent += len(chunk)
                except OSError:
                    pass  # the crawler hung up after the head: what the test wants

        return Handler

    def __enter__(self) -> ProbeShop:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def probe_shop() -> Iterator[ProbeShop]:
    with ProbeShop() as shop:
        yield shop


def crawl(shop: ProbeShop, folder: Path, *settings: str) -> tuple[Path, dict[str, Any]]:
    db, stats = folder / "probe.duckdb", folder / "stats.json"
    args = ["-a", f"url={shop.url}/", "-s", f"UNSILO_DB={db}", "-s", f"UNSILO_STATS_FILE={stats}"]
    for setting in ("AUTOTHROTTLE_ENABLED=0", *settings):
        args += ["-s", setting]
    done = run_scrapy("crawl", "shop", *args, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return db, json.loads(stats.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def probed(probe_shop: ProbeShop, tmp_path_factory: pytest.TempPathFactory):
    probe_shop.hits.clear()
    db, stats = crawl(probe_shop, tmp_path_factory.mktemp("probe"))
    return db, stats, Counter(probe_shop.hits)


def test_each_image_of_an_indexable_page_is_probed_once(probed, probe_shop: ProbeShop) -> None:
    db, _stats, hits = probed
    got = {
        url.removeprefix(probe_shop.url): rest
        for url, *rest in rows(
            db, "select url, status, content_type, width, height, error_kind from og_images"
        )
    }
    assert got == {
        "/img/wide.png": [200, "image/png", 1200, 630, None],
        "/img/huge.png": [200, "image/png", 2400, 1260, None],
        "/img/missing.png": [404, "text/plain", None, None, None],
        "/img/page": [200, "text/html", None, None, None],
        "/img/small.gif": [200, "image/gif", 300, 200, None],
        "/img/private/secret.png": [None, None, None, None, "robots"],  # robots.txt as usual
    }
    assert hits["/img/wide.png"] == 1  # two pages name it
    assert hits["/img/relative.png"] == 0 and hits["/img/noindex.png"] == 0
    assert hits["/img/private/secret.png"] == 0


def test_a_huge_image_is_not_downloaded_whole(probed, probe_shop: ProbeShop) -> None:
    db, _stats, _hits = probed
    [(bytes_read,)] = rows(db, "select bytes_read from og_images where url like '%/huge.png'")
    assert OG_IMAGE_HEAD_BYTES <= bytes_read < 4 * OG_IMAGE_HEAD_BYTES
    assert probe_shop.huge_sent < HUGE_BYTES  # the server was cut off, not read to the end


def test_probes_are_no_pages_and_leave_the_run_complete(probed, probe_shop: ProbeShop) -> None:
    db, stats, _hits = probed
    paths = {u.removeprefix(probe_shop.url) for (u,) in rows(db, "select url from pages")}
    assert paths == set(probe_shop.pages)
    [(status, pages)] = rows(db, "select status, pages from runs")
    assert (status, pages) == ("complete", len(probe_shop.pages))
    assert stats["unsilo/og_images_probed"] == 6


def test_the_page_limit_does_not_count_probes(probed, probe_shop, tmp_path: Path) -> None:
    _db, stats, _hits = probed
    # the limit one above what the pages took: counted, the probes would reach it
    probe_responses = 5  # the robots-blocked image never got a response
    page_phase = stats["response_received_count"] - probe_responses
    db, _ = crawl(probe_shop, tmp_path, f"CLOSESPIDER_PAGECOUNT={page_phase + 1}")
    assert rows(db, "select status from runs") == [("complete",)]
    assert rows(db, "select count(*) from og_images") == [(6,)]


def test_the_budget_caps_distinct_images(probe_shop: ProbeShop, tmp_path: Path) -> None:
    db, stats = crawl(probe_shop, tmp_path, "UNSILO_OG_IMAGE_BUDGET=2")
    assert rows(db, "select count(*) from og_images") == [(2,)]
    assert stats["unsilo/og_images_over_budget"] >= 4  # the other four, once per page naming one


def test_the_crawled_images_become_findings(probed, probe_shop: ProbeShop) -> None:
    db, _stats, _hits = probed
    con = connect(db)
    try:
        analyse(con, con.execute("select run_id from runs").fetchone()[0])
        found = con.execute(
            'select url, "check" from findings where "check" like \'og_image%\''
        ).fetchall()
    finally:
        con.close()
    assert {(u.removeprefix(probe_shop.url), c) for u, c in found} == {
        ("/b", "og_image_unreachable"),
        ("/c", "og_image_unreachable"),
        ("/d", "og_image_not_absolute"),
        ("/g", "og_image_too_small"),  # 300x200; the 2400x1260 image of /a is fine
    }


def test_image_size_reads_headers_only() -> None:
    assert image_size(png_header(1200, 630)) == (1200, 630)
    assert image_size(gif_header(300, 200)) == (300, 200)
    assert image_size(b"<html>") == (None, None)
    assert image_size(b"") == (None, None)


def test_probes_wait_until_the_pages_are_done() -> None:
    crawler = get_crawler(ShopSpider, {"EXTENSIONS_BASE": {}})
    shop = ShopSpider.from_crawler(crawler, url="https://shop.example/")
    body = page("https://cdn.example/share.jpg")
    home = HtmlResponse(
        url="https://shop.example/", body=body, request=Request("https://shop.example/")
    )
    out = list(shop.parse_page(home))
    assert not [r for r in out if isinstance(r, Request) and "cdn.example" in r.url]
    assert list(shop.og_images_wanted) == ["https://cdn.example/share.jpg"]


def test_a_scrapy_feed_with_probes_loads_them_into_og_images(tmp_path: Path) -> None:
    """Scrapyd's way: ``-o items.jsonl`` mixes page records and probe items in one file."""
    from tests.pipeline.test_feeds import loaded_counts, scrapy_feed
    from unsilo.items import OgImageItem

    probe = OgImageItem("https://cdn.example/a.png", "https://cdn.example/a.png", 200, "image/png")
    con = connect(":memory:")
    try:
        counts = loaded_counts(con, "r", scrapy_feed(tmp_path / "items.jsonl", [probe]))
        assert counts["og_images"] == 1
        assert con.execute("select url, status from og_images").fetchall() == [(probe.url, 200)]
    finally:
        con.close()


def test_the_probed_image_is_the_one_the_models_read() -> None:
    """The first non-blank og:image* in page order, as meta_content picks it in SQL."""
    from unsilo.items import MetaProperty, PageItem, PageRecord, PageSocialItem
    from unsilo.spiders.og_images import og_image_to_probe

    def record(*tags: tuple[str, str], **page: Any) -> PageRecord:
        facts = {"status": 200, "is_html": True, **page}
        item = PageItem("https://s.example/", "k", "https://s.example/", "k", **facts)
        og = [MetaProperty(p, c) for p, c in tags]
        return PageRecord(page=item, social=PageSocialItem(url_key="k", og=og))

    first = ("og:image:secure_url", " https://cdn.example/a.jpg ")
    assert og_image_to_probe(record(("og:image", " "), first)) == "https://cdn.example/a.jpg"
    assert og_image_to_probe(record(("og:image", "/rel.jpg"), first)) is None
    assert og_image_to_probe(record(first, noindex=True)) is None
    assert og_image_to_probe(record(first, canonical_key="other")) is None
    assert og_image_to_probe(record(first, status=404)) is None
