"""Open Graph and Twitter-card properties, every one, in document order.

Not extruct's Open Graph extractor: it reads only ``property=`` in the head and matches
names case-sensitively, while sites write ``name="og:title"`` and ``OG:Image`` and
platforms read them anyway. Repeated properties are kept (three ``og:image`` are three
images, in order of preference). Content is stripped, and cut at 2,000 characters: a
description longer than that is a finding, not something to store.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from unsilo.extract.dom import ALL_METAS
from unsilo.items import MetaProperty
from unsilo.urls import http_url_key

OG_PREFIXES = ("og:", "product:", "article:", "book:", "profile:", "music:", "video:", "fb:")
TWITTER_PREFIX = "twitter:"
MAX_CONTENT = 2000


def _meta_name(meta: HtmlElement, prefixes: tuple[str, ...]) -> str | None:
    """The lower-cased ``property`` (preferred) or ``name`` if it has one of ``prefixes``."""
    for attribute in ("property", "name"):
        name = (meta.get(attribute) or "").strip().lower()
        if name.startswith(prefixes):
            return name
    return None


def extract_social_meta(root: HtmlElement) -> tuple[list[MetaProperty], list[MetaProperty]]:
    """``(og, twitter)`` property lists; a meta without ``content`` says nothing."""
    og: list[MetaProperty] = []
    twitter: list[MetaProperty] = []
    for meta in ALL_METAS(root):
        content = meta.get("content")
        if content is None:
            continue
        content = content.strip()[:MAX_CONTENT]
        if name := _meta_name(meta, OG_PREFIXES):
            og.append(MetaProperty(property=name, content=content))
        elif name := _meta_name(meta, (TWITTER_PREFIX,)):
            twitter.append(MetaProperty(property=name, content=content))
    return og, twitter


def og_url_key(og: list[MetaProperty]) -> str | None:
    """The join key of the first non-empty ``og:url`` (what platforms read); None when it
    is missing or not an absolute http(s) URL, which no page can match."""
    first = next((m.content for m in og if m.property == "og:url" and m.content), None)
    return http_url_key(first)
