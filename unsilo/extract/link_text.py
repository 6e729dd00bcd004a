"""Non-descriptive link text, as Lighthouse's link-text audit judges it.

A link fails when its visible text, trimmed and lower-cased, is one of the generic phrases
of its language ("click here", "mehr", "läs mer"…) or is itself a full http(s) URL. The
language is the link's own context (the nearest ``lang`` attribute up the tree, the page's
``<html lang>`` at the latest), reduced to its primary subtag; a link in no known language
is checked against every list. Links marked ``nofollow`` and links back to the page itself
are not judged, as in Lighthouse. The phrase lists are Lighthouse's, for every language it
ships one (kept as data here; ``GENERIC_PHRASES`` is the one place to extend them).
"""

from __future__ import annotations

from collections.abc import Callable

from lxml.html import HtmlElement

from unsilo.extract.dom import collapse, url_form


def _phrases(*lines: str) -> frozenset[str]:
    return frozenset(p.strip() for line in lines for p in line.split("|") if p.strip())


GENERIC_PHRASES: dict[str, frozenset[str]] = {
    "en": _phrases(
        "click here|click this|go|here|information|learn more|more|more info",
        "more information|right here|read more|see more|start|this",
    ),
    "ja": _phrases("ここをクリック|こちらをクリック|リンク|続きを読む|続く|全文表示"),
    "es": _phrases(
        "click aquí|click aqui|clicka aquí|clicka aqui|pincha aquí|pincha aqui|aquí|aqui",
        "más|mas|más información|más informacion|mas información|mas informacion",
        "este|enlace|este enlace|empezar",
    ),
    "pt": _phrases("clique aqui|ir|mais informação|mais informações|mais|veja mais"),
    "ko": _phrases("여기|여기를 클릭|클릭|링크|자세히|자세히 보기|계속|이동|전체 보기"),
    "sv": _phrases("här|klicka här|läs mer|mer|mer info|mer information"),
    "de": _phrases("klicke hier|hier klicken|hier|mehr|siehe|dies|das|weiterlesen"),
    "ta": _phrases(
        "அடுத்த பக்கம்|மறுபக்கம்|முந்தைய பக்கம்|முன்பக்கம்|மேலும் அறிக|மேலும் தகவலுக்கு",
        "மேலும் தரவுகளுக்கு|தயவுசெய்து இங்கே அழுத்தவும்|இங்கே கிளிக் செய்யவும்",
    ),
    "fa": _phrases(
        "اطلاعات بیشتر|اطلاعات|این|اینجا بزنید|اینجا کلیک کنید|اینجا|برو|بیشتر بخوانید",
        "بیشتر بدانید|بیشتر|شروع",
    ),
}
ANY_LANGUAGE = frozenset().union(*GENERIC_PHRASES.values())
LONGEST_PHRASE = max(len(p) for p in ANY_LANGUAGE)


def generic_text(text: str, lang: str | None) -> bool:
    """Lighthouse's verdict on one link's visible text in its context language.

    >>> generic_text(" Click here ", "en-GB"), generic_text("mehr", "de")
    (True, True)
    >>> generic_text("mehr", "en"), generic_text("mehr", None)
    (False, True)
    >>> generic_text("https://shop.example/a", None), generic_text("Red shoes", None)
    (True, False)
    """
    text = text.strip()
    if not text:
        return False
    if text[:6].lower().startswith(("http:", "https:")):
        return url_form(text) == "absolute"
    if len(text) > LONGEST_PHRASE:
        return False  # most link texts (product names) are longer than any phrase
    phrases = GENERIC_PHRASES.get(lang.split("-")[0].lower(), frozenset()) if lang else ANY_LANGUAGE
    return text.lower() in phrases


def lang_of(root: HtmlElement) -> Callable[[HtmlElement], str | None]:
    """A lookup of an element's context language: its own or nearest ancestor's ``lang``.

    Links share their ancestors (a menu's ``ul``, the footer), so each element's answer is
    remembered on the way up and the next link stops at the first ancestor already known.
    """
    known: dict[HtmlElement, str | None] = {}

    def lookup(element: HtmlElement) -> str | None:
        walked = []
        node: HtmlElement | None = element
        found: str | None = None
        while node is not None:
            if node in known:
                found = known[node]
                break
            value = node.get("lang")
            if value is not None:
                found = collapse(value) or None
                break
            walked.append(node)
            node = node.getparent()
        for seen in walked:
            known[seen] = found
        return found

    return lookup
