"""How a report speaks its reader's language: template texts, seed texts, code words and
the analysis' sentences.

Four kinds of text, one catalogue (``unsilo/locale/<code>/LC_MESSAGES/unsilo.po``, msgids in
English, managed with Babel as README "Report languages" shows):

- **Template texts** are wrapped where they are written: ``{% trans %}…{% endtrans %}`` for
  sentences (placeholders as ``{{ name }}``, set with ``{% trans name=… %}``), ``_("…")`` for a
  short label, and ``{% trans count=n %}…{% pluralize %}…{% endtrans %}`` for plurals. Gettext
  is installed "newstyle", so a translation is markup-safe and every variable in it is still
  escaped (crawled text stays hostile). ``babel.cfg`` extracts them with Jinja's extractor.
- **Seed texts** (check names and fixes, level names and meanings, score points, severities,
  audit notes) are data the seeds own in English; ``SEED_TEXTS`` names the columns, this
  module's ``extract_seed_texts`` puts them in the catalogue with the English text as msgid,
  and templates translate them at render time with the ``tr`` filter
  (``{{ fix.fix|tr }}``, ``{{ lc.level|tr("level") }}``). ``tr`` returns plain text, which
  autoescape then escapes: a fix text with ``<title>`` in it shows as written. A seed text
  with no translation yet shows in English, and the catalogue test names it.
- **Code words** the models emit as codes (page sections, run statuses) are listed below with
  ``N_`` so the catalogue holds them, and translated with ``tr`` and their context.
- **Sentences with figures** the analysis writes (finding messages, broken bridges, level
  lines, profile judgements, comparison notes, a run's reason, why a signal source could not
  answer) are marked where they are
  written (``_('…')`` in SQL, ``N_("message", "…")`` in Python) and translated at render time
  by the ``msg`` filter, which matches the finished English sentence against the marked
  patterns (``unsilo.reports.messages``).

The database and the exports stay English: an export is data for a spreadsheet or a script,
and its columns and texts read the same in every language (README "Use"). What also stays as
written: crawled text, brand names, codes, and an API's own words quoted in a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from unsilo.languages import N_, translations

SEED_TEXTS: dict[str, dict[str, str | None]] = {
    "check_catalogue": {"summary": None, "fix": None},
    "levels": {"label": "level", "meaning": None},
    "level_points": {"earned_text": None, "missed_text": None},
    "severities": {"severity": "severity"},
    "check_references": {"note": None},
    "whole_crawl_checks": {"needs": None},
}
"""Seed (file stem) → translated column → message context (None: the text is its own key)."""

TEMPLATE_GLOBALS = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext", "language"})
"""Names the environment gives every template besides its context (``language`` is the
report's language code, for ``<html lang>``)."""


CODE_WORDS = (
    N_("section", "home"),
    N_("section", "product"),
    N_("section", "article"),
    N_("section", "category"),
    N_("section", "other"),
    N_("status", "complete"),
    N_("status", "partial"),
    N_("status", "failed"),
    N_("status", "running"),
    N_("status", "unknown"),
    N_("source status", "ok"),
    N_("source status", "partial"),
    N_("source status", "reused"),
    N_("source status", "needs token"),
    N_("source status", "rate limited"),
    N_("source status", "refused"),
    N_("source status", "source unavailable"),
    N_("source status", "malformed response"),
    N_("source status", "over budget"),
    N_("source status", "not asked"),
    N_("profile change", "new"),
    N_("profile change", "gone"),
    N_("profile change", "changed"),
    N_("profile change", "same"),
)
"""Codes the models emit that a report shows as words: page sections (the ``page_section``
macro), run statuses (``runs.status``) and signal source statuses
(``unsilo.signals.items.CHECK_STATUSES``; a test keeps this list complete) and how a profile
changed between two runs (``report_changes_profiles``)."""


def translate(text: Any, context: str | None = None, *, language: str = "en") -> Any:
    """``text`` in ``language`` (the ``tr`` filter); anything not a non-empty str unchanged.

    >>> translate("siloed", "level", language="en")
    'siloed'
    """
    if not isinstance(text, str) or not text:
        return text
    catalogue = translations(language)
    return catalogue.pgettext(context, text) if context else catalogue.gettext(text)


def extract_seed_texts(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """Babel extraction method for ``pipeline/sql/seeds/*.sql`` (see ``babel.cfg``).

    Runs the seed (a plain ``select`` over a VALUES table) in an in-memory DuckDB and yields
    each ``SEED_TEXTS`` column's distinct values, so the msgids are exactly what the report
    gets, with SQL quoting and ``||`` line joins already undone.
    """
    import duckdb

    columns = SEED_TEXTS.get(Path(getattr(fileobj, "name", "")).stem)
    if not columns:
        return
    source = fileobj.read().decode("utf-8")
    lines = source.splitlines()
    with duckdb.connect(":memory:") as con:
        cursor = con.execute(source)
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    seen: set[tuple[str | None, str]] = set()
    for row in rows:
        for column, context in columns.items():
            text = row[names.index(column)]
            if not text or (context, text) in seen:
                continue
            seen.add((context, text))
            quoted = text[:30].replace("'", "''")
            lineno = next((n for n, line in enumerate(lines, 1) if quoted in line), 1)
            comment = [f"seed {Path(fileobj.name).stem}.{column}"]
            if context:
                yield lineno, "pgettext", (context, text), comment
            else:
                yield lineno, "gettext", text, comment
