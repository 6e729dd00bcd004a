"""Promotional language: the "push ratio" of a profile counts posts that sell.

Whole words only (``salesman`` is not ``sale``), any case, any script: Python's ``\\w``
is Unicode-aware, so ``køb nu`` and ``Rabatt`` match at real word edges. Multi-word
phrases allow any run of whitespace between words. URLs are blanked out first: a link to
``/sale`` or ``rabat.dk`` is not the post's own wording.
"""

from __future__ import annotations

import re
from functools import lru_cache

# fmt: off
LEXICON: dict[str, tuple[str, ...]] = {
    "en": (
        "sale", "on sale", "discount", "discounts", "buy now", "shop now", "order now",
        "free shipping", "free delivery", "promo code", "coupon", "voucher", "clearance",
        "limited offer", "limited time", "black friday", "cyber monday", "bogo",
    ),
    "da": (
        "tilbud", "rabat", "rabatkode", "køb nu", "spar", "gratis fragt", "udsalg",
        "fri fragt", "bestil nu", "black week",
    ),
    "de": (
        "angebot", "angebote", "rabatt", "rabattcode", "jetzt kaufen", "gutschein",
        "versandkostenfrei", "gratis versand", "kostenloser versand", "reduziert",
        "schnäppchen", "ausverkauf", "jetzt bestellen",
    ),
    "sv": ("rea", "köp nu", "rabatt", "erbjudande", "fri frakt", "rabattkod", "fynd"),
    "no": ("salg", "tilbud", "kjøp nå", "rabatt", "gratis frakt", "fri frakt", "rabattkode"),
}
# fmt: on
# Not words but shapes: "20 % off", "-30%", "30% rabat", "spar 100 kr".
PATTERNS: tuple[str, ...] = (
    r"\d+\s*%\s*(?:off|rabat|rabatt|reduziert)",
    r"(?<![\w-])-\s?\d{1,2}\s*%",
)

_URLISH = re.compile(r"(?:https?://|www\.)\S+|(?:[\w-]+\.)+[a-z]{2,24}/\S*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _regex() -> re.Pattern[str]:
    phrases = sorted({p for terms in LEXICON.values() for p in terms}, key=len, reverse=True)
    words = [r"\s+".join(re.escape(w) for w in phrase.split()) for phrase in phrases]
    alternatives = [rf"(?<!\w)(?:{w})(?!\w)" for w in words] + [f"(?:{p})" for p in PATTERNS]
    return re.compile("|".join(alternatives), re.IGNORECASE)


def promotional_terms(text: str | None) -> list[str]:
    """The promotional words and shapes in ``text``, lower-cased, each once, in order.

    >>> promotional_terms("SALE! Spar 20% på alt – køb nu")
    ['sale', 'spar', 'køb nu']
    """
    found = (m.group(0).lower() for m in _regex().finditer(_prose(text)))
    return list(dict.fromkeys(" ".join(term.split()) for term in found))


def is_promotional(text: str | None) -> bool:
    """True when ``text`` contains any promotional term of any language in ``LEXICON``."""
    return _regex().search(_prose(text)) is not None


def _prose(text: str | None) -> str:
    return _URLISH.sub(" ", text or "")
