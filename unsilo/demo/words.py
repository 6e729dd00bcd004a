"""Vocabulary and cheap deterministic hashing for the demo shop.

Names and slugs come from an integer hash instead of ``random.Random`` so the URL plan of a
100,000-page shop is computed in a fraction of a second; ``random.Random`` is only seeded
when one page is rendered.
"""

from __future__ import annotations

import random
import re
from typing import NamedTuple

MASK = (1 << 64) - 1


def mix(seed: int, salt: int, index: int) -> int:
    """A 64-bit splitmix-style hash: stable across runs and Python versions (unlike ``hash``)."""
    x = (seed * 0x9E3779B97F4A7C15 + salt * 0xC2B2AE3D27D4EB4F + index + 1) & MASK
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def rng_for(seed: int, salt: int, index: int) -> random.Random:
    """The per-page generator: pages render independently of each other and of order."""
    return random.Random(mix(seed, salt, index))


_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Danish-aware ASCII slug: ``Fjord skål, sand`` → ``fjord-skaal-sand``."""
    return _NON_SLUG.sub("-", text.lower().translate(_ASCII)).strip("-")


class Category(NamedTuple):
    slug: str
    name: str
    nouns: tuple[str, ...]


BASE_CATEGORIES: tuple[Category, ...] = (
    Category("lamper", "Lamper", ("Bordlampe", "Pendel", "Gulvlampe", "Væglampe", "Lanterne")),
    Category("tekstiler", "Tekstiler", ("Plaid", "Pudebetræk", "Viskestykke", "Løber", "Tæppe")),
    Category("keramik", "Keramik", ("Skål", "Krus", "Vase", "Tallerken", "Kande")),
    Category("moebler", "Møbler", ("Skammel", "Sidebord", "Reol", "Bænk", "Knagerække")),
    Category("koekken", "Køkken", ("Skærebræt", "Kaffekande", "Smørkniv", "Brødkasse", "Saltkar")),
    Category("udeliv", "Udeliv", ("Termoflaske", "Kurv", "Hængekøje", "Lygte", "Picnictæppe")),
    Category("boern", "Børn", ("Uro", "Rangle", "Klodser", "Babytæppe", "Natlampe")),
    Category("gaver", "Gaver", ("Gaveæske", "Duftlys", "Notesbog", "Kalender", "Lysestage")),
    Category("bad", "Bad", ("Håndklæde", "Sæbeskål", "Badeforhæng", "Bademåtte", "Vasketøjskurv")),
    Category("kontor", "Kontor", ("Skrivebordslampe", "Brevbakke", "Penneholder", "Opslagstavle")),
    Category("have", "Have", ("Urtepotte", "Vandkande", "Havesaks", "Fuglehus", "Plantestativ")),
    Category("jul", "Jul", ("Julestjerne", "Kalenderlys", "Nisse", "Juletræsfod", "Krans")),
)

ADJECTIVES = (
    "Fjord", "Skagen", "Hygge", "Birk", "Lys", "Nord", "Storm", "Havn", "Ask", "Klit", "Sand",
    "Eg", "Lyng", "Bølge", "Dug", "Rim", "Sol", "Tåge", "Mos", "Strand", "Vind", "Ravn", "Kridt",
    "Sommer", "Vinter", "Høst", "Forår", "Nat", "Dag", "Sten",
)  # fmt: skip
COLOURS = (
    "sand", "skifer", "salvie", "rust", "hvid", "sort", "okker", "havblå", "natur", "grå",
    "rosa", "oliven", "kobber", "messing", "røget eg",
)  # fmt: skip
MATERIALS = ("ubehandlet eg", "genbrugsglas", "hørlærred", "stentøj", "merinould", "messing")

_SENTENCE_WORDS = (
    "håndlavet", "bæredygtig", "nordisk", "design", "tidløs", "holdbar", "materiale", "kvalitet",
    "hverdag", "hjem", "lys", "form", "funktion", "produceret", "Danmark", "værksted", "detaljer",
    "overflade", "patina", "naturlig", "blød", "robust", "smuk", "enkel", "rolig", "varm", "stue",
    "køkken", "sovevære", "gave", "familie", "generationer", "pleje", "vask", "skånsomt",
    "leveres", "samlet", "FSC-certificeret", "genanvendt", "lokal", "produktion", "kunsthåndværk",
)  # fmt: skip


def paragraph_pool(seed: int, count: int = 48) -> tuple[str, ...]:
    """Body text paragraphs, generated once per shop and picked per page (cheap to render)."""
    rng = random.Random(mix(seed, 7, 0))
    out = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(4, 7)):
            words = rng.choices(_SENTENCE_WORDS, k=rng.randint(8, 16))
            sentences.append(" ".join(words).capitalize() + ".")
        out.append(" ".join(sentences))
    return tuple(out)


def product_colour(seed: int, index: int) -> str:
    return COLOURS[(mix(seed, 1, index) >> 24) % len(COLOURS)]


def product_name(seed: int, index: int, category: Category) -> str:
    """A readable Danish product name; not unique, so titles carry the SKU as real shops do."""
    h = mix(seed, 1, index)
    adjective = ADJECTIVES[h % len(ADJECTIVES)]
    noun = category.nouns[(h >> 12) % len(category.nouns)]
    return f"{adjective} {noun.lower()}, {product_colour(seed, index)}"


def article_title(seed: int, index: int) -> str:
    h = mix(seed, 2, index)
    topic = (
        "Sådan plejer du", "Guide: vælg den rigtige", "5 ting om", "Bag om værkstedet:",
        "Sæsonens nye", "Hygge i hjemmet med", "Derfor holder", "Inspiration til",
    )[h % 8]  # fmt: skip
    noun = BASE_CATEGORIES[(h >> 8) % len(BASE_CATEGORIES)].nouns[(h >> 16) % 4].lower()
    return f"{topic} {noun} ({ADJECTIVES[(h >> 24) % len(ADJECTIVES)]})"
