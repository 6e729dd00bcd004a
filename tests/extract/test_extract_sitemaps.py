"""The sitemap reader: entries streamed within the protocol's limits, problems as codes."""

from __future__ import annotations

import gzip

import pytest

from unsilo.extract.sitemaps import PROTOCOL_MAX_URLS, SitemapEntry, SitemapReader

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
IMAGE_NS = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'


def read(body: bytes, **limits: int) -> tuple[list[SitemapEntry], SitemapReader]:
    reader = SitemapReader(body, **limits)
    return list(reader), reader


def urlset(n: int, start: int = 0) -> bytes:
    rows = b"".join(
        b"<url><loc>https://shop.example/p/%d</loc></url>" % i for i in range(start, start + n)
    )
    return f"<urlset {NS}>".encode() + rows + b"</urlset>"


def test_a_urlset_gives_its_locs_and_lastmods_not_image_locs() -> None:
    body = f"""<?xml version="1.0"?><urlset {NS} {IMAGE_NS}>
    <url><loc> https://shop.example/a </loc><lastmod>2026-11-01</lastmod>
      <image:image><image:loc>https://cdn.example/a.jpg</image:loc></image:image></url>
    <url><lastmod>2026-11-02</lastmod></url>
    <url><loc>https://shop.example/b</loc></url></urlset>""".encode()
    entries, reader = read(body)
    assert entries == [
        SitemapEntry("https://shop.example/a", "2026-11-01"),
        SitemapEntry("https://shop.example/b"),
    ]
    assert (reader.kind, reader.urls, reader.problems, reader.compressed) == (
        "urlset",
        2,
        [],
        False,
    )


def test_a_sitemap_inside_a_urlset_is_not_an_entry() -> None:
    body = f"""<urlset {NS}><url><loc>https://shop.example/a</loc></url>
    <sitemap><loc>https://shop.example/nested.xml</loc></sitemap></urlset>""".encode()
    entries, reader = read(body)
    assert [e.loc for e in entries] == ["https://shop.example/a"]
    assert reader.problems == ["mixed_entries"]
    assert reader.reasons == [
        "1 <sitemap> entries inside its <urlset> were ignored "
        "(only a sitemap index lists sitemaps; only a urlset lists pages)"
    ]


def test_a_url_inside_an_index_is_not_an_entry() -> None:
    body = f"""<sitemapindex {NS}><sitemap><loc>https://shop.example/s1.xml</loc></sitemap>
    <url><loc>https://shop.example/page</loc></url></sitemapindex>""".encode()
    entries, reader = read(body)
    assert [e.loc for e in entries] == ["https://shop.example/s1.xml"]
    assert (reader.kind, reader.problems) == ("sitemapindex", ["mixed_entries"])


def test_more_than_50000_urls_stops_at_the_protocols_limit() -> None:
    entries, reader = read(urlset(PROTOCOL_MAX_URLS + 10))
    assert len(entries) == reader.urls == PROTOCOL_MAX_URLS
    assert entries[-1].loc == f"https://shop.example/p/{PROTOCOL_MAX_URLS - 1}"
    assert reader.problems == ["too_many_urls"]


def test_a_gzip_bomb_is_read_only_up_to_the_limit_after_decompression() -> None:
    """60 KB of gzip inflating to 60 MB: never more than the limit is inflated."""
    body = gzip.compress(urlset(3)[:-9] + b" " * (60 * 1024 * 1024) + b"</urlset>")
    assert len(body) < 100_000
    entries, reader = read(body, max_bytes=20 * 1024 * 1024)
    assert len(entries) == 3 and reader.compressed
    assert reader.bytes_read == 20 * 1024 * 1024
    assert reader.problems == ["over_download_limit"]
    assert "unsilo's download limit (DOWNLOAD_MAXSIZE)" in reader.reasons[0]
    _, whole = read(body, max_bytes=0)  # no limit of unsilo's own: the protocol's 50 MB
    assert whole.problems == ["too_large"] and whole.bytes_read == 50 * 1024 * 1024


def test_a_gzipped_sitemap_reads_like_a_plain_one() -> None:
    entries, reader = read(gzip.compress(urlset(5)))
    assert len(entries) == 5 and reader.compressed and reader.problems == []


@pytest.mark.parametrize(
    ("body", "problem", "reason"),
    [
        (b"<html><body>Not here</body></html>", "not_a_sitemap", "the root element is <html>"),
        (b"", "not_a_sitemap", "the file is empty"),
        (b"just text", "not_a_sitemap", "the file holds no XML"),
        (b"\x1f\x8b\x08\x00broken", "bad_gzip", "the gzip data is broken"),
    ],
)
def test_a_file_that_is_no_sitemap_says_why(body: bytes, problem: str, reason: str) -> None:
    entries, reader = read(body)
    assert entries == [] and reader.kind is None
    assert reader.problems == [problem]
    assert reader.reasons[0].startswith(reason)


def test_entities_are_not_expanded() -> None:
    body = f"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "AAAAAAAAAA">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
    <urlset {NS}><url><loc>https://shop.example/&b;</loc></url></urlset>""".encode()
    entries, _ = read(body)
    assert all("AAAA" not in e.loc for e in entries)
