"""The HTTP ``Link`` header (RFC 8288), where canonical and hreflang also live.

URLs inside ``<…>`` may contain commas and semicolons, so the header is not split on
commas blindly: each entry is a ``<url>`` followed by its ``;``-separated parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ENTRY = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]*(?:=\s*(?:\"[^\"]*\"|[^;,]*))?)*)")
_PARAM = re.compile(r";\s*([^\s=;,]+)\s*(?:=\s*(\"[^\"]*\"|[^;,]*))?")


@dataclass(slots=True)
class HeaderLink:
    """One ``<url>; rel=…; hreflang=…`` entry; parameter names lower-cased."""

    url: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def rel(self) -> list[str]:
        return self.params.get("rel", "").lower().split()


def parse_link_headers(values: list[str]) -> list[HeaderLink]:
    """Every entry of every ``Link`` header value, in order.

    >>> [(l.url, l.rel) for l in parse_link_headers(['</a>; rel="canonical", </b>; rel=next'])]
    [('/a', ['canonical']), ('/b', ['next'])]
    """
    links = []
    for value in values:
        for match in _ENTRY.finditer(value):
            params = {}
            for name, raw in _PARAM.findall(match.group(2)):
                params.setdefault(name.lower(), raw.strip().strip('"').strip())
            links.append(HeaderLink(url=match.group(1).strip(), params=params))
    return links
