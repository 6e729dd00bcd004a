"""Sentences the analysis writes (finding messages, broken bridges, level lines, profile
judgements, comparison notes, run reasons) are marked patterns, in the catalogue, and shown
in the report's language (``unsilo.reports.messages``)."""

from __future__ import annotations

import dataclasses
import string

import pytest

from tests.conftest import query_db
from tests.reports.test_report_i18n import catalogue
from tests.reports.test_report_templates import full_context  # noqa: F401 - a fixture
from unsilo.languages import MESSAGE
from unsilo.pipeline.queries import sql_files, sql_root
from unsilo.pipeline.run_reasons import STALE_REASON, join_reasons, limit_reason, unstored_rows
from unsilo.reports import messages
from unsilo.reports.context import ReportContext, template_vars
from unsilo.reports.environment import environment
from unsilo.reports.i18n import translate
from unsilo.reports.messages import (
    GROUP_KINDS,
    marked_sql_literals,
    pattern_for,
    patterns,
    sentences_in,
    translate_message,
)


def sql_patterns() -> set[str]:
    """Every ``_('…')`` in the shipped SQL files."""
    return {
        text
        for _folder, sql in sql_files(sql_root()).values()
        for _line, text in marked_sql_literals(sql)
    }


def test_every_marked_pattern_is_translated_with_its_placeholders() -> None:
    marked = sql_patterns()
    assert len(marked) > 100
    danish = {m.id: m.string for m in catalogue("da") if m.context == MESSAGE}
    assert marked <= set(danish)
    assert {p.msgid for p in patterns()} == set(danish)
    for msgid, msgstr in danish.items():
        figures = [f"<{i}>" for i in range(msgid.count("{}"))]
        shown = msgstr.format(*figures)  # a bad placeholder raises here
        assert all(shown.count(f) == 1 for f in figures), (msgid, msgstr)
        fields = {name for _t, name, _s, _c in string.Formatter().parse(msgstr) if name}
        assert fields <= {str(i) for i in range(len(figures))}, msgstr
    assert set(GROUP_KINDS) <= set(danish)


def test_marked_literals_are_read_as_sql_writes_them() -> None:
    sql = """
        select format(_('It''s {} ' -- a comment
            || 'long'), n), _(column_name), 'not _(''this'')',
            -- _('nor this')
            x_('nor that'), _('last')
    """
    assert list(marked_sql_literals(sql)) == [(2, "It's {} long"), (5, "last")]


@pytest.fixture
def danish_catalogue(monkeypatch: pytest.MonkeyPatch):
    """The matcher with a made-up catalogue: ``pgettext`` answers from ``strings``."""
    strings: dict[str, str] = {}

    class Catalogue:
        def pgettext(self, context: str, text: str) -> str:
            assert context == MESSAGE
            return strings.get(text, text)

    monkeypatch.setattr(messages, "catalogue_of", lambda language: Catalogue())
    messages._translated.cache_clear()
    yield strings
    messages._translated.cache_clear()


def test_placeholders_may_be_reordered_and_nested_sentences_translate(danish_catalogue) -> None:
    danish_catalogue.update(
        {
            "og:image is {}x{} pixels: {}": "{2}: {1} høj, {0} bred",
            "under the 200x200 Facebook accepts at all": "for lille",
            "Shared {} times ({}) and {}": "Delt {} gange ({}) og {}",
            "now answers HTTP {}": "svarer nu HTTP {}",
        }
    )
    text = "og:image is 120x90 pixels: under the 200x200 Facebook accepts at all"
    assert translate_message(text, "xx") == "for lille: 90 høj, 120 bred"
    bridge = "Shared 3 times (hackernews, lemmy) and now answers HTTP 410"
    assert (
        translate_message(bridge, "xx") == "Delt 3 gange (Hacker News, Lemmy) og svarer nu HTTP 410"
    )


def test_a_text_no_pattern_matches_stays_as_written() -> None:
    for text in ("A sentence nobody marked", "", None, 3):
        assert translate_message(text, "da") == text
    assert pattern_for("A sentence nobody marked") is None


def test_english_keeps_the_sentence_and_shows_brands() -> None:
    bridge = "Shared 1 time (hackernews) and now redirects to the home page"
    assert (
        translate_message(bridge)
        == "Shared 1 time (Hacker News) and now redirects to the home page"
    )
    assert (
        translate_message(bridge, "da")
        == "Delt 1 gang (Hacker News) og viderestiller nu til forsiden"
    )
    assert translate_message("Level share-ready (+48)", "da") == "Niveau klar til deling (+48)"


def test_crawled_text_in_a_translated_sentence_stays_escaped(
    full_context: ReportContext,  # noqa: F811 - the imported fixture
) -> None:
    hostile = 'The canonical "javascript:alert(1)<script>alert(2)</script>" is a relative URL'
    group = dataclasses.replace(full_context.finding_groups[0], message=hostile)
    context = dataclasses.replace(full_context, finding_groups=[group])
    html = environment("da").get_template("report.html").render(template_vars(context))
    assert "<script>alert(2)" not in html and 'href="javascript:' not in html
    assert (
        "Canonical »javascript:alert(1)&lt;script&gt;alert(2)&lt;/script&gt;« er en relativ URL"
        in html
    )


def test_every_sentence_of_a_demo_analysis_is_a_marked_pattern(demo_signals_audit) -> None:
    """A sentence a model writes without ``_()`` fails here, naming it."""
    db = demo_signals_audit.db
    findings = [m for (m,) in query_db(db, "select distinct message from findings")]
    bridges = query_db(db, "select count(*) from findings where \"check\" = 'broken_bridge'")
    judgements = query_db(db, "select distinct unnest(judgements) from profile_health")
    points = query_db(
        db,
        "select distinct unnest(earned) from page_levels"
        " union select distinct unnest(missed) from page_levels",
    )
    assert bridges[0][0] > 0 and judgements and len(findings) > 10
    sentences = [*findings, *(j for (j,) in judgements)]
    # a level line is a sentence; the other points are seed texts the catalogue holds
    sentences += [p for (p,) in points if translate(p, language="da") == p]
    unmarked = [s for s in sentences if pattern_for(s) is None]
    assert unmarked == []
    untranslated = [s for s in sentences if translate_message(s, "da") == s]
    assert untranslated == []


def test_a_run_reason_translates_sentence_by_sentence() -> None:
    stats = {"unsilo/rows_not_stored": 40, "unsilo/storage_error": "disk full"}
    stats |= {"unsilo/rows_lost": 2}
    reason = join_reasons(STALE_REASON, unstored_rows(stats) or "")
    assert translate_message(reason, "da") == (
        "afbrudt: processen stoppede uden at afslutte kørslen; 40 rækker kunne ikke gemmes i "
        "databasen (disk full); de ligger i kørslens jobmappe og gemmes, når kørslen genoptages "
        "(--resume); 2 rækker er tabt: ingen mappe havde plads til dem"
    )
    limit = limit_reason({"max_pages": 100}, "closespider_pagecount")
    note = translate_message(f"It is partial ({limit}).", "da")
    assert note == (
        "Den er delvis (sidegrænsen nået (100 sider): butikken kan rumme mere, end der blev "
        "gennemgået)."
    )
    # a sentence with "; " in it is one sentence, not two
    one = "Declares 3 different canonical URLs; search engines may ignore all of them"
    assert sentences_in(one) is None
    assert translate_message(one, "da").startswith("Angiver 3 forskellige canonical-URL'er; ")
