"""Where a key is written in a TOML text: ``tomllib`` parses, but tells no line numbers.

Used by ``unsilo.config`` to point a mistake at its line.
"""

from __future__ import annotations

import re

_STRING = re.compile(r"\"(?:\\.|[^\"\\])*\"|'[^']*'")
_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*$")
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")


def key_lines(text: str) -> dict[str, int]:
    """The line (from 1) each dotted key or table header is first written on.

    A small scanner, not a parser: tables, dotted and quoted keys, comments and arrays
    over several lines are understood, which is all a shop's config file uses.
    """
    lines: dict[str, int] = {}
    table, depth = "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        bare = _STRING.sub('""', line).split("#", 1)[0]
        if depth == 0 and (header := _HEADER.match(bare)):
            table = _dotted(header.group(1))
            lines.setdefault(table, number)
            continue
        if depth == 0 and (assignment := _ASSIGNMENT.match(_key_part(line))):
            key = _dotted(assignment.group(1))
            lines.setdefault(f"{table}.{key}" if table else key, number)
        depth = max(0, depth + bare.count("[") - bare.count("]"))
    return lines


def _key_part(line: str) -> str:
    """The line up to its first ``=``, quotes and all (a quoted key may hold anything)."""
    return line.split("=", 1)[0] + "=" if "=" in line else ""


def _dotted(key: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def locate(text: str, key: str, item: str | None = None) -> int | None:
    """The line of ``key`` (or of its table), or of ``item`` within its value if given."""
    lines = key_lines(text)
    parts = key.split(".")
    prefixes = (".".join(parts[:n]) for n in range(len(parts), 0, -1))
    line = next((lines[prefix] for prefix in prefixes if prefix in lines), None)
    if line is None or item is None:
        return line
    rows = text.splitlines()
    for number in range(line, len(rows) + 1):
        if item in rows[number - 1]:
            return number
    return line
