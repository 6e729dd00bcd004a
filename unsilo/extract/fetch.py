"""Fetch facts read off the response itself: status, content type, encoding, size.

Whether a body is HTML decides everything downstream, so it is decided here once:
the ``Content-Type`` header first, and only when that is missing or generic, a look
at the first bytes of the body (servers do send HTML as ``application/octet-stream``).
"""

from __future__ import annotations

from scrapy.http import Response, TextResponse

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
GENERIC_TYPES = frozenset({"", "application/octet-stream", "text/plain", "binary/octet-stream"})
HTML_SIGNATURES = (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta")
SNIFF_BYTES = 1024


def header(response: Response, name: str) -> str | None:
    """The first value of a header as text (headers are bytes; latin-1 never fails)."""
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else None


def header_values(response: Response, name: str) -> list[str]:
    """Every value of a repeated header, as text, in order."""
    return [v.decode("latin-1").strip() for v in response.headers.getlist(name)]


def mime_type(content_type: str | None) -> str:
    """``text/html; charset=utf-8`` → ``text/html``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def looks_like_html(body: bytes) -> bool:
    """Sniff the start of a body for HTML markup, skipping a BOM and whitespace."""
    start = body[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml"):
        return b"<html" in start
    return start.startswith(HTML_SIGNATURES) or (
        start.startswith(b"<!--") and any(sig in start for sig in HTML_SIGNATURES)
    )


def is_html(response: Response, content_type: str | None) -> bool:
    """HTML by declared type, or by sniffing when the declared type says nothing."""
    mime = mime_type(content_type)
    if mime in HTML_TYPES:
        return True
    if mime in GENERIC_TYPES:
        return looks_like_html(response.body)
    return False


def encoding(response: Response) -> str | None:
    """The encoding Scrapy decoded the body with (header, BOM, meta, then detection)."""
    return response.encoding if isinstance(response, TextResponse) else None
