"""How platforms and signal sources are named to people: one owner for the terminal and the report.

The code names (``hackernews``, ``youtube``) are keys in the database and the exports; people
read the brand as the brand writes it (``Hacker News``, ``YouTube``), wherever unsilo speaks.
"""

from __future__ import annotations

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
"""How a platform or source spells itself where capitalising its code would not (``Youtube``)."""


def brand(code: str | None) -> str:
    """A platform's or signal source's name as the brand writes it.

    >>> brand("youtube"), brand("hackernews"), brand("mastodon"), brand(None)
    ('YouTube', 'Hacker News', 'Mastodon', '–')
    """
    if not code:
        return "–"
    if named := BRANDS.get(code):
        return named
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]
