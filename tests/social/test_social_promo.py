"""Promotional-language lexicon: whole words, any case, per language."""

from __future__ import annotations

import pytest

from unsilo.social.promo import LEXICON, is_promotional, promotional_terms


@pytest.mark.parametrize(
    "text",
    [
        "Big SALE this weekend",  # en
        "20% off everything",
        "Free shipping on all mugs",
        "Buy now before it is gone",
        "Stort udsalg i weekenden",  # da
        "Køb nu – kun i dag",
        "Spar 100 kr på krus",
        "Gratis fragt over 500 kr",
        "Brug rabatkoden … rabat på alt",
        "Unser Angebot der Woche",  # de
        "Jetzt kaufen!",
        "10 % Rabatt auf Becher",
        "Versandkostenfrei ab 50 €",
        "Stor rea på koppar",  # sv
        "Köp nu innan de tar slut",
        "Fri frakt hela veckan",
        "Salg på alle kopper",  # no
        "Kjøp nå",
        "Superpris -30% kun i dag",
    ],
)
def test_promotional(text) -> None:
    assert is_promotional(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our salesman will call you",  # 'sale' only as part of a word
        "Wholesale enquiries welcome",
        "Spare parts for the kiln",  # 'spar' inside 'spare'
        "The area behind the workshop",  # 'rea' inside 'area'
        "Rabatten ist nicht das Thema",  # German 'Rabatten' (flower beds) ≠ 'Rabatt'
        "Handgedreht in Leipzig 🌊",
        "Ny glasur fra værkstedet",
        "Samlingen er klar",
        "Mehr dazu: https://shop.example/sale und shop.example/rabat/krus",  # URLs, not words
        "",
        None,
    ],
)
def test_not_promotional(text) -> None:
    assert not is_promotional(text)


def test_terms_are_reported_once_lower_case() -> None:
    assert promotional_terms("SALE! sale… Køb  nu") == ["sale", "køb nu"]


def test_every_language_is_covered() -> None:
    assert {"en", "da", "de", "sv", "no"} <= set(LEXICON)
    for terms in LEXICON.values():
        for term in terms:
            assert is_promotional(f"x {term.upper()} x"), term
