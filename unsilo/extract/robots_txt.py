"""robots.txt validity, as Lighthouse's robots-txt audit checks it: a site-level fact.

Each line is read as Lighthouse reads it (comment dropped, trimmed, ``name: value``) and
rejected for: no colon ("Syntax not understood"), a directive outside the list crawlers
know, a ``sitemap`` that is no http(s)/ftp URL, a ``user-agent`` without a value, an
``allow``/``disallow`` pattern that does not start with ``/`` or ``*`` or has a ``$``
before its end, and an ``allow``/``disallow`` before any ``user-agent``. Whether a URL is
allowed is a different question, answered by ``unsilo.robots_rules`` (Google's rules).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from unsilo.extract.dom import url_form
from unsilo.items import RobotsTxtProblem

KEPT = 20  # problems stored; ``errors`` counts them all
KNOWN_DIRECTIVES = frozenset(
    {
        "user-agent",
        "disallow",
        "allow",
        "sitemap",  # standard and universal
        "crawl-delay",
        "clean-param",
        "host",  # Bing, Yandex
        "request-rate",
        "visit-time",
        "noindex",
        "content-signal",
        "license",  # in the wild
    }
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_problem(line: str) -> tuple[str, str] | None:
    """``(directive, value)`` of a valid line, raising ``ValueError`` with the reason.

    Returns None for a blank or comment-only line.

    >>> line_problem("Disallow: /cart  # no carts")
    ('disallow', '/cart')
    >>> line_problem("Disallow: cart")
    Traceback (most recent call last):
    ValueError: Pattern should either be empty, start with "/" or "*"
    """
    line = line.split("#", 1)[0].strip()
    if not line:
        return None
    name, sep, value = line.partition(":")
    if not sep:
        raise ValueError("Syntax not understood")
    name, value = name.strip().lower(), value.strip()
    if name not in KNOWN_DIRECTIVES:
        raise ValueError("Unknown directive")
    if name == "sitemap":
        if url_form(value) != "absolute":
            raise ValueError("Invalid sitemap URL")
        if urlsplit(value).scheme.lower() not in ("http", "https", "ftp"):
            raise ValueError("Invalid sitemap URL protocol")
    if name == "user-agent" and not value:
        raise ValueError("No user-agent specified")
    if name in ("allow", "disallow"):
        if value and value[0] not in "/*":
            raise ValueError('Pattern should either be empty, start with "/" or "*"')
        if "$" in value[:-1]:
            raise ValueError('"$" should only be used at the end of the pattern')
    return name, value


def validate(text: str) -> list[RobotsTxtProblem]:
    """Every problem of a robots.txt body, in line order."""
    problems = []
    in_group = False
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        try:
            parsed = line_problem(line)
        except ValueError as error:
            problems.append(RobotsTxtProblem(number, line[:200], str(error)))
            continue
        if parsed is None:
            continue
        if parsed[0] == "user-agent":
            in_group = True
        elif not in_group and parsed[0] in ("allow", "disallow"):
            problems.append(RobotsTxtProblem(number, line[:200], "No user-agent specified"))
    return problems


def _pairs(text: str) -> list[tuple[str, str]]:
    """``(directive, value)`` of every line with a colon, comments dropped."""
    pairs = []
    for line in _LINE_BREAK.split(text):
        name, sep, value = line.split("#", 1)[0].partition(":")
        if sep:
            pairs.append((name.strip().lower(), value.strip()))
    return pairs


def robots_txt_validity(status: int | None, body: bytes) -> dict[str, Any]:
    """``errors``, ``problems`` and ``sitemaps`` of one fetched robots.txt (the fields of
    ``RobotsTxtItem`` that judge its lines); only a 2xx/3xx body is validated.

    A 4xx means "no robots.txt" (everything allowed), a 5xx or 429 that crawlers must
    hold back; neither has lines to judge, and the status alone tells the finding.
    """
    text = body.decode("utf-8-sig", errors="replace")
    readable = status is not None and status < 400
    problems = validate(text) if readable else []
    pairs = _pairs(text) if readable else []
    sitemaps = [value for name, value in pairs if name == "sitemap" and value]
    return {"errors": len(problems), "problems": problems[:KEPT], "sitemaps": sitemaps}
