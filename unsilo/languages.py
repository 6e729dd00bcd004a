"""The report languages: English, plus one per compiled catalogue under ``unsilo/locale/``.

The locale folder is the one list of languages: adding ``unsilo/locale/<code>/LC_MESSAGES/
unsilo.po`` (and its compiled ``unsilo.mo``, README "Report languages") makes ``--lang
<code>`` and ``[output] language = "<code>"`` valid, with no list to edit in code. English is
the source language (every msgid is English), so it needs no catalogue.

>>> report_languages()[0]
'en'
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""``<code>/LC_MESSAGES/unsilo.{po,mo}`` per language, and the template ``messages.pot``."""
DOMAIN = "unsilo"
"""The gettext domain: the catalogue files' name."""
SOURCE_LANGUAGE = "en"
MESSAGE = "message"
"""The context of every sentence pattern the analysis writes (``unsilo.reports.messages``)."""


def N_(context: str, text: str) -> str:  # noqa: N802 - gettext's conventional marker name
    """Mark a text for extraction with its context (``babel.cfg``: ``N_:1c,2``) and return it
    unchanged: a code word (translated later by ``tr``) or, with ``MESSAGE``, a sentence
    pattern the caller ``.format()``s (translated later by ``msg``)."""
    return text


@cache
def report_languages() -> tuple[str, ...]:
    """English first, then every language with a compiled catalogue, sorted."""
    found = sorted(
        p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo") if p.is_file()
    )
    return (SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE))


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language``; English (or an unknown code) translates
    nothing, so every text shows as written."""
    if language == SOURCE_LANGUAGE or language not in report_languages():
        return gettext.NullTranslations()
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as fh:
        return gettext.GNUTranslations(fh)
