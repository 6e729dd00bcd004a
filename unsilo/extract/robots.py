"""Robots directives from ``<meta name=robots|googlebot>`` and ``X-Robots-Tag``.

unsilo audits as Googlebot: directives aimed at ``robots`` (everyone) or ``googlebot``
count; an ``X-Robots-Tag`` value prefixed with another user agent (``otherbot: noindex``)
is kept raw in ``x_robots_tag`` but does not make the page noindex.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.html import HtmlElement

from unsilo.extract.dom import ALL_METAS, attr_lower

APPLIES_TO = frozenset({"robots", "googlebot"})
DIRECTIVE_NAMES = frozenset(
    {
        "all",
        "index",
        "follow",
        "noindex",
        "nofollow",
        "none",
        "noarchive",
        "nocache",
        "nosnippet",
        "notranslate",
        "noimageindex",
        "noodp",
        "noydir",
        "indexifembedded",
        "max-snippet",
        "max-image-preview",
        "max-video-preview",
        "unavailable_after",
    }
)


@dataclass(slots=True)
class RobotsFacts:
    directives: list[str] = field(default_factory=list)
    x_robots_tag: list[str] = field(default_factory=list)
    noindex: bool = False
    nofollow: bool = False


def split_directives(value: str) -> list[str]:
    """``"NOINDEX, Follow"`` → ``["noindex", "follow"]``.

    ``unavailable_after`` dates contain commas (``Sunday, 01-Sep-30``), so a piece that
    is not a directive is glued back onto an ``unavailable_after`` before it.
    """
    out: list[str] = []
    for piece in value.lower().split(","):
        piece = " ".join(piece.split())
        if not piece:
            continue
        if out and out[-1].startswith("unavailable_after") and _name(piece) not in DIRECTIVE_NAMES:
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def _name(directive: str) -> str:
    return directive.split(":", 1)[0].strip()


def header_directives(value: str) -> list[tuple[str | None, str]]:
    """``(user_agent, directive)`` pairs of one ``X-Robots-Tag`` value.

    A ``name: rest`` piece whose name is not a directive names a user agent; it applies
    to the directives after it, until the next user agent.

    >>> header_directives("otherbot: noindex, nofollow")
    [('otherbot', 'noindex'), ('otherbot', 'nofollow')]
    """
    agent: str | None = None
    pairs: list[tuple[str | None, str]] = []
    for piece in split_directives(value):
        name, sep, rest = piece.partition(":")
        if sep and name.strip() not in DIRECTIVE_NAMES and " " not in name.strip():
            agent = name.strip()
            piece = rest.strip()
            if not piece:
                continue
        pairs.append((agent, piece))
    return pairs


def extract_robots(root: HtmlElement | None, header_values: list[str]) -> RobotsFacts:
    """Combine meta robots (when there is a tree) with every ``X-Robots-Tag`` value."""
    directives: list[str] = []
    if root is not None:
        for meta in ALL_METAS(root):
            if attr_lower(meta, "name") in APPLIES_TO:
                directives.extend(split_directives(meta.get("content") or ""))
    for value in header_values:
        pairs = header_directives(value)
        directives.extend(d for agent, d in pairs if agent in (None, "googlebot"))
    directives = list(dict.fromkeys(directives))
    names = {_name(d) for d in directives}
    return RobotsFacts(
        directives=directives,
        x_robots_tag=list(header_values),
        noindex=bool(names & {"noindex", "none"}),
        nofollow=bool(names & {"nofollow", "none"}),
    )
