"""Sentences the analysis writes with figures in them, shown in the report's language.

The SQL models and the Python steps write finished English sentences ("Title is 72 characters
(over 60)"), which the database and the exports keep. Where such a sentence is written its
pattern is marked: ``format(_('Title is {} characters (over 60)'), n)`` in SQL (the identity
macro of ``pipeline/sql/macros/messages.sql``), ``N_("message", "It is partial ({}).")``
then ``.format(…)`` in Python. The pattern is both the English text and the msgid (context
``message``): ``extract_sql_messages`` gives Babel the SQL ones, Babel's Python extractor the
others.

At render time the ``msg`` filter turns a finished sentence back into its pattern and figures:
each marked pattern (read from ``messages.pot``) becomes an anchored regex, its ``{}`` lazy
groups; the first that matches (longest literal text first, so a specific pattern wins over a
general one such as ``'{} ({})'``) is translated, each group is translated as its own kind
(``GROUP_KINDS``; by default as a sentence itself, so a nested marked sentence is translated
too, and anything else stays as written), and the translated pattern is formatted with them
(a translation may reorder them as ``{1} … {0}``). A run's reason, several sentences joined
with ``; ``, is translated sentence by sentence. A sentence no pattern matches shows as
written. The result is plain text, which autoescape escapes: crawled text inside a sentence
stays hostile.

>>> translate_message("Title is 72 characters (over 60)", language="da")
'Titlen er 72 tegn (over 60)'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import IO, Any

from unsilo.brands import brand
from unsilo.languages import LOCALE_DIR, MESSAGE
from unsilo.languages import translations as catalogue_of
from unsilo.reports.i18n import translate


def _sources(text: str, language: str) -> str:
    """A ``', '``-joined list of signal source codes as their brands (``hackernews`` →
    ``Hacker News``, ``unsilo.brands`` owns brand names)."""
    return ", ".join(brand(code) for code in text.split(", "))


def _level(text: str, language: str) -> str:
    return translate(text, "level", language=language)


def _source_status(text: str, language: str) -> str:
    return translate(text, "source status", language=language)


def _as_written(text: str, language: str) -> str:
    return text


GROUP_KINDS: dict[str, tuple[Callable[[str, str], str] | None, ...]] = {
    "Level {} (+{})": (_level, _as_written),
    "Next level {} (+{})": (_level, _as_written),
    "Shared 1 time ({}) and {}": (_sources, None),
    "Shared {} times ({}) and {}": (_as_written, _sources, None),
    "{}: {}": (_source_status, None),  # a page's unknown signal: "needs token: set … to ask …"
}
"""Marked pattern → how each placeholder's text is shown, where it is not a sentence of its
own (None: translated as a sentence, as every group of an unlisted pattern is): a level name
(seed text), a list of signal source codes, a signal source's status (code word). A test
keeps every key a marked pattern."""


@dataclass(frozen=True, slots=True)
class Pattern:
    """One marked sentence pattern and the regex that finds its figures in a sentence."""

    msgid: str
    regex: re.Pattern[str]

    @staticmethod
    def of(msgid: str) -> Pattern:
        """``Pattern.of("Title is {} characters")`` matches ``Title is 72 characters``."""
        parts = (re.escape(part) for part in msgid.split("{}"))
        return Pattern(msgid, re.compile(r"\A" + "(.*?)".join(parts) + r"\Z", re.DOTALL))

    @property
    def literal_length(self) -> int:
        return len(self.msgid) - 2 * self.msgid.count("{}")


@cache
def patterns() -> tuple[Pattern, ...]:
    """Every marked pattern of the shipped template catalogue, most specific first."""
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / "messages.pot").open("rb") as fh:
        ids = {m.id for m in read_po(fh) if m.context == MESSAGE and isinstance(m.id, str)}
    return tuple(
        sorted((Pattern.of(i) for i in ids if i), key=lambda p: (-p.literal_length, p.msgid))
    )


def translate_message(text: Any, language: str = "en") -> Any:
    """``text``, a sentence the analysis wrote, in ``language`` (the ``msg`` filter);
    anything that is not a non-empty str, or that no pattern matches, unchanged.

    >>> translate_message("Shared 2 times (hackernews, reddit) and now answers HTTP 404")
    'Shared 2 times (Hacker News, Reddit) and now answers HTTP 404'
    """
    if not isinstance(text, str) or not text:
        return text
    return _translated(text, language)


def pattern_for(text: str) -> tuple[Pattern, tuple[str, ...]] | None:
    """The first marked pattern ``text`` is written from, and its figures; None if none.

    >>> pattern_for("Title is 72 characters (over 60)")[1]
    ('72',)
    """
    for pattern in patterns():
        if match := pattern.regex.match(text):
            return pattern, match.groups()
    return None


SEPARATOR = "; "
"""How the sentences of a run's reason are joined (``pipeline/run_reasons.join_reasons``)."""


def sentences_in(text: str) -> list[str] | None:
    """``text`` as two or more marked sentences joined with ``SEPARATOR`` (the finest such
    split: a sentence may have ``; `` in it), or None.

    >>> sentences_in("crawl stopped early: x; 3 linked URLs were never fetched")
    ['crawl stopped early: x', '3 linked URLs were never fetched']
    """
    parts = text.split(SEPARATOR)
    if not 1 < len(parts) <= 12:  # more is crawled text, not a reason
        return None
    best: list[list[str] | None] = [[], *([None] * len(parts))]
    for end in range(1, len(parts) + 1):
        for start in range(end):
            before, chunk = best[start], SEPARATOR.join(parts[start:end])
            if before is None or len(before) < len(best[end] or ()) or not pattern_for(chunk):
                continue
            best[end] = [*before, chunk]
    found = best[-1]
    return found if found and len(found) > 1 else None


@lru_cache(maxsize=16384)
def _translated(text: str, language: str) -> str:
    if SEPARATOR in text and (sentences := sentences_in(text)):
        return SEPARATOR.join(_translated(sentence, language) for sentence in sentences)
    found = pattern_for(text)
    if found is None:
        return text
    pattern, figures = found
    kinds = GROUP_KINDS.get(pattern.msgid, ())
    groups = [
        (kinds[i] if i < len(kinds) and kinds[i] else _translated)(figure, language)
        for i, figure in enumerate(figures)
    ]
    return catalogue_of(language).pgettext(MESSAGE, pattern.msgid).format(*groups)


_SQL_TOKEN = re.compile(
    r"(?P<comment>--[^\n]*)|(?P<string>'(?:[^']|'')*')|(?P<mark>(?<![\w.])_\()|[^'\-_]+|.",
    re.DOTALL,
)
"""SQL as comments, string literals, ``_(`` markers and anything else (no marker is found
inside a string or a comment)."""


def marked_sql_literals(source: str) -> Iterator[tuple[int, str]]:
    """``(line, text)`` of every ``_('…')`` in ``source``: SQL's ``''`` undone, literals
    joined with ``||`` inside the marker put together; a marker around anything but literals
    is not a message and is skipped.

    >>> list(marked_sql_literals("select format(_('It''s {} ' || 'long'), n), _(x)"))
    [(1, "It's {} long")]
    """
    tokens = iter(_SQL_TOKEN.finditer(source))
    for token in tokens:
        if token.lastgroup != "mark":
            continue
        parts: list[str] = []
        for inner in tokens:
            if inner.lastgroup == "string":
                parts.append(inner.group()[1:-1].replace("''", "'"))
            elif inner.lastgroup == "comment" or inner.group().strip() in ("", "||"):
                continue
            else:
                if parts and inner.group().strip().startswith(")"):
                    yield source.count("\n", 0, token.start()) + 1, "".join(parts)
                break


def extract_sql_messages(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extraction method for the models' ``.sql`` files (``babel.cfg``): each marked
    pattern with the context ``message``."""
    for lineno, text in marked_sql_literals(fileobj.read().decode("utf-8")):
        yield lineno, "pgettext", (MESSAGE, text), []
