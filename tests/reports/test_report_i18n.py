"""Report languages: the catalogues are complete, compiled and current, and a Danish report
shows no English template or seed text (README "Report languages")."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from tests.conftest import run_cli
from tests.reports.test_report_templates import full_context  # noqa: F401 - a fixture
from unsilo.config import REPORT_LANGUAGES
from unsilo.languages import DOMAIN, LOCALE_DIR, report_languages, translations
from unsilo.reports.context import ReportContext, template_vars
from unsilo.reports.environment import environment, num, pct, when
from unsilo.reports.i18n import CODE_WORDS, translate
from unsilo.signals.items import CHECK_STATUSES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code in report_languages() if code != "en"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|<[^>]+>|\{\d*\}")  # {}: a message pattern's figure
SKIPPED_DIRS = {"tests", "bench", "build", "dist"}


def catalogue(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as fh:
        return read_po(fh, locale=language)


def keys(messages) -> set[tuple[str | None, str]]:
    """(context, singular msgid) of every message."""
    return {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in messages if m.id}


def extracted() -> set[tuple[str | None, str]]:
    """What ``pybabel extract -F babel.cfg`` finds now, as README's command runs it."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = extract_from_dir(
        ROOT,
        method_map,
        options_map,
        keywords={**DEFAULT_KEYWORDS, "N_": ((1, "c"), 2)},
        directory_filter=lambda d: (
            not Path(d).name.startswith(".") and Path(d).name not in SKIPPED_DIRS
        ),
    )
    return {(ctx, msg[0] if isinstance(msg, tuple) else msg) for _f, _l, msg, _c, ctx in found}


def english_fragments(language: str) -> list[str]:
    """Runs of 4+ words of every msgid (placeholders, tags and a message pattern's ``{}`` cut
    out) that its translation does not itself contain (a command or code kept as written)."""
    fragments = []
    for m in catalogue(language):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for text in ids:
            for part in PLACEHOLDER.split(text):
                part = " ".join(part.split()).strip(" .,:;()")
                if len(part.split()) >= 4 and not any(part in s for s in strings):
                    fragments.append(part)
    return fragments


def visible_text(html: str) -> str:
    """The rendered text a reader sees, plus hover titles and labels."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    attrs = [t.get(a, "") for t in soup.find_all(True) for a in ("title", "aria-label")]
    return " ".join(" ".join([soup.get_text(" "), *attrs]).split())


def untranslated(html: str, language: str) -> list[str]:
    text = visible_text(html)
    return [fragment for fragment in english_fragments(language) if fragment in text]


def text_nodes(html: str) -> set[str]:
    """Every text node and hover title of ``html``, whitespace collapsed."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    texts = [*soup.find_all(string=True)]
    texts += [t.get(a, "") for t in soup.find_all(True) for a in ("title", "aria-label")]
    return {" ".join(str(t).split()) for t in texts}


FULL_CONTEXT_DATA = {
    "Shared 2 times",
    "hackernews 3 · reddit",
    "→ og:image missing",  # a finding's detail
}
"""Text of the full context's data (a comparison note, a bridge message, trend sources) that
is the same in every language; anything else in both renders was never wrapped."""


def words(text: str) -> int:
    """Words with a letter in them: "0 → 19" and "– → 5" are figures, in any language."""
    return sum(any(c.isalpha() for c in word) for word in text.split())


def test_language_list_is_the_locale_folder() -> None:
    compiled = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    assert report_languages() == ("en", *compiled) == REPORT_LANGUAGES
    assert "da" in compiled


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_keeps_its_placeholders(language: str) -> None:
    cat = catalogue(language)
    missing = [
        m.id
        for m in cat
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    ]
    assert missing == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in cat.check()]
    assert problems == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_committed_mo_is_compiled_from_the_po(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language))
    committed = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    assert compiled.getvalue() == committed.read_bytes(), "run pybabel compile (README)"


def test_catalogues_hold_every_text_the_sources_mark() -> None:
    now = extracted()
    assert len(now) > 400
    with (LOCALE_DIR / "messages.pot").open("rb") as fh:
        assert keys(read_po(fh)) == now, "run pybabel extract and update (README)"
    for language in TRANSLATED:
        assert keys(catalogue(language)) == now, f"run pybabel update for {language}"


def test_every_code_word_the_models_emit_is_in_the_catalogue() -> None:
    marked = set(CODE_WORDS)
    assert set(CHECK_STATUSES) <= marked
    danish = keys(catalogue("da"))
    for status in CHECK_STATUSES:
        assert ("source status", status) in danish


def test_danish_formats_numbers_and_dates_the_danish_way() -> None:
    from datetime import datetime

    moment = datetime(2026, 11, 23, 11, 50)
    assert (num(12345.6, "da"), pct(0.5, 0, "da"), when(moment, "da")) == (
        "12.345,6",
        "50\xa0%",
        "23. nov. 2026 11.50 UTC",
    )
    assert (num(12345.6), pct(0.5), when(moment)) == ("12,345.6", "50%", "2026-11-23 11:50 UTC")


def test_seed_texts_translate_by_their_english_text() -> None:
    assert translate("share-ready", "level", language="da") == "klar til deling"
    assert translate("Broken bridge: a shared page now leaks its value", language="da") == (
        "Brudt bro: en delt side taber nu sin værdi"
    )
    assert translate("a text no seed has", language="da") == "a text no seed has"
    assert translations("xx").gettext("Summary") == "Summary"  # unknown code: English


def test_danish_report_of_the_full_context_has_no_english_text(
    full_context: ReportContext,  # noqa: F811 - the imported fixture
) -> None:
    contexts = [
        full_context,
        dataclasses.replace(full_context, previous=None, trends=None, exports=[], audits=[]),
    ]
    for context in contexts:
        html = environment("da").get_template("report.html").render(template_vars(context))
        assert untranslated(html, "da") == []
        assert '<html lang="da">' in html
        english = environment("en").get_template("report.html").render(template_vars(context))
        same = {t for t in text_nodes(html) & text_nodes(english) if words(t) >= 3}
        assert same - FULL_CONTEXT_DATA == set()  # a text no one wrapped stays English
    english = environment("en").get_template("report.html").render(template_vars(full_context))
    assert len(untranslated(english, "da")) > 50  # the check does see English


def test_translated_text_stays_escaped_and_placeholders_escape_crawled_text(
    full_context: ReportContext,  # noqa: F811
) -> None:
    fix = dataclasses.replace(
        full_context.top_fixes[0], fix="Add a unique, descriptive <title> of 30 to 60 characters."
    )
    hostile = dataclasses.replace(
        full_context,
        run=dataclasses.replace(full_context.run, reason="<script>alert(1)</script>"),
        top_fixes=[fix],
    )
    html = environment("da").get_template("report.html").render(template_vars(hostile))
    assert "<script>alert(1)" not in html
    assert "Hvorfor: &lt;script&gt;alert(1)&lt;/script&gt;" in html
    # a seed fix text with a tag in it is translated, and shown as text, not markup
    assert "Tilføj en unik, beskrivende &lt;title&gt; på 30 til 60 tegn." in html


def test_demo_report_rendered_in_danish(demo_signals_audit, tmp_path: Path) -> None:
    out = tmp_path / "da"
    db = str(demo_signals_audit.db)
    process = run_cli("report", "--db", db, "--out", str(out), "--lang", "da", cwd=tmp_path)
    assert process.returncode == 0, process.stderr[-2000:]
    html = (out / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "da"
    assert soup.select_one("#top-fixes h2").get_text() == "Vigtigste rettelser"
    badges = {b.get_text() for b in soup.select("#level-counts .badge")}
    assert {"isoleret", "delbar", "klar til deling", "delt", "samtale"} <= badges
    assert untranslated(html, "da") == []
    # the analysis' sentences too (reports/messages.py), with sources as their brands
    text = visible_text(html)
    for english in ("Open Graph lacks", "Shared 1 time", "Level ", "Next level", "hackernews"):
        assert english not in text
    assert "Delt 1 gang (Hacker News) og " in text and "Niveau isoleret (+" in text
    # and why each signal source said what it said (unsilo/signals/ledger.py, spiders/signals.py)
    why = " ".join(td.get_text(" ") for td in soup.select("#sources-asked + * td, table td.wide"))
    for english in ("retry after", "per-URL budget", " to ask ", "would add the"):
        assert english not in text, english
    assert "HTTP 429 fra Pinterest; prøv igen om 3600 s" in why
    assert "sæt UNSILO_REDDIT_TOKEN for at spørge Reddit" in why
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Audit-kørsler" in index and untranslated(index, "da") == []


def test_config_language_and_a_bad_lang(demo_signals_audit, tmp_path: Path) -> None:
    config = tmp_path / "shop.toml"
    out = tmp_path / "out"
    config.write_text(
        f'[output]\ndb = "{demo_signals_audit.db}"\nfolder = "{out}"\nlanguage = "da"\n'
    )
    process = run_cli("report", "--config", str(config), cwd=tmp_path)
    assert process.returncode == 0, process.stderr[-2000:]
    assert '<html lang="da">' in (out / "report.html").read_text(encoding="utf-8")
    typed = run_cli("report", "--config", str(config), "--lang", "en", cwd=tmp_path)
    assert typed.returncode == 0 and '<html lang="en">' in (out / "report.html").read_text()
    bad = run_cli("report", "--db", str(demo_signals_audit.db), "--lang", "xx", cwd=tmp_path)
    assert bad.returncode == 2 and "'xx' is not one of 'en', 'da'" in bad.stderr
