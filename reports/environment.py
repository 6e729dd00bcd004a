"""The one Jinja environment every report template renders in, and its filters.

Everything a report prints was written by strangers (titles, URLs, handles), so the
environment escapes everything (``autoescape=True`` for all templates, not only ``.html``)
and fails loudly on a name the context does not provide (``StrictUndefined``). Filters are
registered here by name so templates never need Python beyond them. Every printed value
also passes ``show_bidi`` (the environment's ``finalize``), so no template can forget it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from unsilo.brands import brand
from unsilo.languages import translations
from unsilo.reports.i18n import translate
from unsilo.reports.messages import translate_message
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


def pct(share: float | None, digits: int = 0, language: str = "en") -> str:
    """A fraction as a percentage in the language's way: ``pct(0.4167)`` → ``'42%'`` (Danish
    ``'42 %'``); None → ``'–'``."""
    if share is None:
        return "–"
    pattern = Locale.parse(language).percent_formats[None].pattern.split(";")[0]
    if digits:  # the last integer digit gets the decimals: "#,##0 %" → "#,##0.0 %"
        at = pattern.rindex("0") + 1
        pattern = pattern[:at] + "." + "0" * digits + pattern[at:]
    return format_percent(share, pattern, locale=language)


def num(value: float | None, language: str = "en") -> str:
    """Thousands separated, one decimal at most, in the language's way: ``num(12345)`` →
    ``'12,345'`` (Danish ``'12.345'``), ``num(1.25)`` → ``'1.2'`` (Danish ``'1,2'``)."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return format_decimal(value, "#,##0.0", locale=language)
    return format_decimal(int(value), "#,##0", locale=language)


def signed(delta: float | None, language: str = "en") -> str:
    """A change with its sign, for "since last run": ``+3``, ``−2``, ``±0``."""
    if delta is None:
        return "–"
    if delta == 0:
        return "±0"
    text = num(abs(delta), language)
    return f"+{text}" if delta > 0 else f"−{text}"


def when(moment: datetime | None, language: str = "en") -> str:
    """A stored (UTC) timestamp as a reader wants it: ``2026-11-23 11:50 UTC`` in English
    (sortable, as the index lists runs), the language's medium date and short time
    elsewhere (Danish ``23. nov. 2026 11.50 UTC``). Always UTC, named, never local time."""
    if moment is None:
        return "–"
    if language == "en":
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    day = format_date(utc, "medium", locale=language)
    return f"{day} {format_time(utc, 'short', tzinfo=UTC, locale=language)} UTC"


def humanize(code: str | None) -> str:
    """A check or section code as a heading: ``title_too_long`` → ``Title too long``."""
    if not code:
        return "–"
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


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
    "humanize": humanize,
    "brand": brand,
    "short_url": short_url,
}


LANGUAGE_FILTERS = {"pct": pct, "num": num, "signed": signed, "when": when}
"""Filters that format for the report's language: bound to it in ``environment(language)``."""


@cache
def environment(language: str = "en") -> Environment:
    """The shared environment of one report language; built once per language, since
    compiling templates is the slow part.

    Jinja's i18n extension is installed with the language's catalogue (``unsilo.languages``)
    "newstyle", so translated text stays markup-safe and its placeholders are escaped; every
    ``{% trans %}`` block is trimmed (line breaks inside it are not part of the msgid).
    ``unsilo.reports.i18n`` says how texts are wrapped and which stay English.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=show_bidi,  # every {{ … }}, whatever its filters
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(FILTERS)
    env.filters.update({n: partial(f, language=language) for n, f in LANGUAGE_FILTERS.items()})
    env.filters["tr"] = partial(translate, language=language)
    env.filters["msg"] = partial(translate_message, language=language)
    env.globals["language"] = language
    return env
