"""The one Jinja environment every report template renders in, and its filters.

Everything a report prints was written by strangers (titles, URLs, handles), so the
environment escapes everything (``autoescape=True`` for all templates, not only ``.html``)
and fails loudly on a name the context does not provide (``StrictUndefined``). Filters are
registered here by name so templates never need Python beyond them. Every printed value
also passes ``show_bidi`` (the environment's ``finalize``), so no template can forget it.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from unsilo.urls import is_http_url


def safe_href(url: object) -> str | None:
    """``url`` when it may become a link (absolute http/https), else None.

    ``javascript:``, ``data:`` and every other scheme are shown as text, never linked.

    >>> safe_href("https://shop.example/a"), safe_href("javascript:alert(1)")
    ('https://shop.example/a', None)
    """
    if not isinstance(url, str) or any(ord(c) < 32 for c in url):
        return None
    return url.strip() if is_http_url(url) else None


def pct(share: float | None, digits: int = 0) -> str:
    """A fraction as a percentage: ``pct(0.4167)`` → ``'42%'``; None → ``'–'``."""
    if share is None:
        return "–"
    return f"{share * 100:.{digits}f}%"


def num(value: float | None) -> str:
    """Thousands separated, one decimal at most: ``num(12345)`` → ``'12,345'``."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def signed(delta: float | None) -> str:
    """A change with its sign, for "since last run": ``+3``, ``−2``, ``±0``."""
    if delta is None:
        return "–"
    if delta == 0:
        return "±0"
    text = num(abs(delta))
    return f"+{text}" if delta > 0 else f"−{text}"


def when(moment: datetime | None) -> str:
    """A stored (UTC) timestamp as a reader wants it: ``2026-11-23 11:50 UTC``."""
    if moment is None:
        return "–"
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def humanize(code: str | None) -> str:
    """A check or section code as a heading: ``title_too_long`` → ``Title too long``."""
    if not code:
        return "–"
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


BRANDS: dict[str, str] = {
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "linkedin": "LinkedIn",
    "x": "X",
    "xing": "XING",
    "soundcloud": "SoundCloud",
    "hackernews": "Hacker News",
    "wayback": "Wayback Machine",
    "arctic_shift": "Arctic Shift",
    "bluesky_search": "Bluesky search",
}
"""How a platform or source spells itself where ``humanize`` would not (``Youtube``)."""


def brand(code: str | None) -> str:
    """A platform's or signal source's name as the brand writes it.

    >>> brand("youtube"), brand("hackernews"), brand("mastodon")
    ('YouTube', 'Hacker News', 'Mastodon')
    """
    return BRANDS.get(code or "", "") or humanize(code)


def short_url(url: str | None, width: int = 60) -> str:
    """A URL short enough for a table cell: no scheme, the middle cut when still too long
    (the template puts the full URL in a hover title).

    >>> short_url("https://shop.example/a/very/long/path/to/a/product", 30)
    'shop.example/a…th/to/a/product'
    """
    if not url:
        return "–"
    text = url.split("://", 1)[1] if url.lower().startswith(("http://", "https://")) else url
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head) :]


BIDI_CONTROLS = (
    "\u061c",  # ARABIC LETTER MARK
    "\u200e",  # LEFT-TO-RIGHT MARK
    "\u200f",  # RIGHT-TO-LEFT MARK
    *(chr(c) for c in range(0x202A, 0x202F)),  # LRE, RLE, PDF, LRO, RLO
    *(chr(c) for c in range(0x2066, 0x206A)),  # LRI, RLI, FSI, PDI
)
"""Unicode's bidirectional formatting characters (UAX #9): invisible, yet they reorder
the text around them."""

_BIDI_MARKERS = {ord(c): f"[U+{ord(c):04X}]" for c in BIDI_CONTROLS}


def show_bidi(value: object) -> object:
    """Text with every bidirectional control shown as a visible ``[U+202E]`` marker.

    A crawled title ``photo\u202egnp.exe`` would otherwise render as ``photoexe.png``: the
    report must show what the page says, not what it pretends to say. The markers hold no
    HTML-special character, so escaped (``Markup``) text stays safe; anything else that is
    not text passes unchanged.

    >>> show_bidi("photo\u202egnp.exe"), show_bidi(3)
    ('photo[U+202E]gnp.exe', 3)
    """
    if isinstance(value, Markup):
        return Markup(str.translate(value, _BIDI_MARKERS))
    if isinstance(value, str):
        return value.translate(_BIDI_MARKERS)
    return value


TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
"""Found from this file, not the import system, so a same-named test folder cannot shadow it."""

FILTERS = {
    "safe_href": safe_href,
    "pct": pct,
    "num": num,
    "signed": signed,
    "when": when,
    "humanize": humanize,
    "brand": brand,
    "short_url": short_url,
}


@cache
def environment() -> Environment:
    """The shared environment; built once, since compiling templates is the slow part."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=show_bidi,  # every {{ … }}, whatever its filters
    )
    env.filters.update(FILTERS)
    return env
