"""The first screen ("At a glance") answers "what do I fix first, and is it getting better?"
from the same figures as the sections below it: broken bridges, the top three fixes, the
level distribution with its trend, and what changed since the compared run."""

from __future__ import annotations

import dataclasses

from bs4 import BeautifulSoup

from tests.reports.test_report_templates import full_context  # noqa: F401 - a fixture
from unsilo.reports.context import ReportContext, template_vars
from unsilo.reports.environment import environment


def glance(context: ReportContext, language: str = "en") -> BeautifulSoup:
    html = environment(language).get_template("report.html").render(template_vars(context))
    return BeautifulSoup(html, "html.parser").select_one("section#at-a-glance")


def test_glance_comes_first_and_repeats_the_sections_figures(full_context) -> None:  # noqa: F811
    html = environment().get_template("report.html").render(template_vars(full_context))
    soup = BeautifulSoup(html, "html.parser")
    sections = [s["id"] for s in soup.select("section[id]")]
    assert sections[0] == "at-a-glance" and sections[1] == "broken-bridges"
    box = soup.select_one("section#at-a-glance")
    bridges = box.select_one('[data-glance="bridges"]')
    assert bridges.select_one(".glance-figure").get_text() == str(
        full_context.signals.broken_bridges
    )
    assert "alert" in bridges["class"] and bridges.a["href"] == "#broken-bridges"
    fixes = [li["data-check"] for li in box.select('[data-glance="fixes"] li')]
    assert fixes == [f.check for f in full_context.top_fixes[:3]]
    strip = box.select('[data-glance="levels"] svg.level-strip rect')
    assert len(strip) == sum(1 for lc in full_context.levels if lc.pages)
    scored = full_context.summary.scored_pages
    shown = [lc for lc in full_context.levels if lc.pages]
    assert [float(r["width"]) for r in strip] == [round(100 * lc.pages / scored, 2) for lc in shown]
    changes = {li["data-change"]: li.get_text() for li in box.select(".glance-changes li")}
    c = full_context.changes
    assert changes["levels"].endswith(str(c.levels.total))
    assert changes["bridges"].endswith(str(c.bridges.total))


def test_glance_says_what_a_first_run_and_a_clean_run_mean(full_context) -> None:  # noqa: F811
    first = dataclasses.replace(
        full_context,
        changes=None,
        trends=None,
        top_fixes=[],
        signals=dataclasses.replace(full_context.signals, broken_bridges=0, bridges=[]),
    )
    box = glance(first)
    text = box.get_text(" ", strip=True)
    assert "None: every page people shared still works" in text
    assert "Nothing to fix" in text
    assert "the next one will show what changed" in text
    assert "alert" not in box.select_one('[data-glance="bridges"]')["class"]


def test_glance_reads_in_danish(full_context) -> None:  # noqa: F811
    text = glance(full_context, "da").get_text(" ", strip=True)
    assert "Kort fortalt" in text
    assert "At a glance" not in text and "Fix first" not in text


def test_paper_keeps_the_newest_runs_and_first_change_rows(full_context) -> None:  # noqa: F811
    """Twelve monthly runs printed every trend row and change row: 13 A4 pages."""
    from unsilo.reports.trends import trend_section

    base = full_context.trends.points[-1]
    points = [dataclasses.replace(base, run_id=f"r{i}") for i in range(9)]
    levels = full_context.changes.levels
    many = dataclasses.replace(levels, rows=levels.rows * 7, total=len(levels.rows) * 7)
    context = dataclasses.replace(
        full_context,
        trends=trend_section("https://s.example", points, {}),
        changes=dataclasses.replace(full_context.changes, levels=many),
    )
    html = environment().get_template("report.html").render(template_vars(context))
    soup = BeautifulSoup(html, "html.parser")
    runs = soup.select("table.trend-table tr.trend-run")
    assert [("no-print" in r["class"]) for r in runs] == [True] * 3 + [False] * 6
    moves = soup.select("#changes-levels tbody tr")
    assert len(moves) == len(many.rows) > 5
    assert [("no-print" in r["class"]) for r in moves] == [False] * 5 + [True] * (len(moves) - 5)
    notes = [p.get_text(" ", strip=True) for p in soup.select("p.print-only")]
    assert any(n.startswith("Printed: the newest 6 of 9 runs") for n in notes)
    assert any(n.startswith(f"Printed: the first 5 of {many.total}") for n in notes)
