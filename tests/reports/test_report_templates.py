"""Templates use only the documented context: top-level names checked statically, attributes
checked by rendering a fully populated context under StrictUndefined."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from jinja2 import UndefinedError, meta

from unsilo.pipeline.db import DatabaseFile
from unsilo.reports.changes import (
    ChangesSection,
    ChangeTable,
    CheckChange,
    LevelMove,
    NewBridge,
    PageChange,
    ProfileChange,
    SignalChange,
)
from unsilo.reports.context import (
    ExportLink,
    LevelCount,
    PreviousRun,
    Profile,
    ReportContext,
    Rung,
    RunInfo,
    ScorePoint,
    Summary,
    SuppressedCheck,
    template_vars,
)
from unsilo.reports.environment import environment
from unsilo.reports.findings import FindingGroup, SeverityCount, TopFix
from unsilo.reports.i18n import TEMPLATE_GLOBALS
from unsilo.reports.method import MethodAudit
from unsilo.reports.pages import PageRow, SectionBar, Segment
from unsilo.reports.run_index import IndexContext, IndexRun
from unsilo.reports.signals import (
    BrokenBridge,
    PageSignals,
    SignalPage,
    SignalsSection,
    SourceAnswer,
    SourceSignal,
)
from unsilo.reports.social import PostedPage, ProfileHealth, SocialSection
from unsilo.reports.trends import LevelShare, TrendPoint, TrendSection, TrendValue, trend_section

LEVELS = ("siloed", "shareable", "share-ready", "shared", "conversation")
SEVERITIES = ("critical", "high", "medium", "low", "unknown")
WHEN = datetime(2026, 11, 1, 2, 0)


def names(context_type: type) -> set[str]:
    return {f.name for f in dataclasses.fields(context_type)}


def undeclared(template: str) -> set[str]:
    env = environment()
    source, _, _ = env.loader.get_source(env, template)
    # gettext's names and the language code are the environment's, given to every template
    return meta.find_undeclared_variables(env.parse(source)) - TEMPLATE_GLOBALS


PAGE_SIGNALS = PageSignals(
    [
        SourceSignal("lemmy", "found", None, 2, 5, 3, 1, "https://l.example/p/1"),
        SourceSignal("reddit", "unknown", "needs token", None, None, None, None, None),
    ],
    ["wikipedia"],
)


def page(url: str, level: str) -> PageRow:
    return PageRow(
        url,
        "Title",
        "product",
        level,
        50,
        3,
        2,
        True,
        ["Earned (+30)"],
        ["Missed"],
        2,
        PAGE_SIGNALS,
    )


def signal_page(ranking: str) -> SignalPage:
    return SignalPage(ranking, "https://s.example/hit", "Hit", "shared", 80, 3, 1, 4, 2, ["lemmy"])


SIGNALS = SignalsSection(
    asked=True,
    sources_answered=1,
    signals_found=3,
    pages_shared=2,
    pages_in_conversation=1,
    broken_bridges=2,
    bridges=[BrokenBridge("https://s.example/gone", "Shared 2 times", ["https://l.example/1"], 2)],
    sources=[
        SourceAnswer("lemmy", "ok", None, 3, 2, 1, 5, 3, None, True),
        SourceAnswer("reddit", "needs token", "no token", 0, 0, 0, 0, 0, "REDDIT_TOKEN", False),
    ],
    most_shared=[signal_page("shared")],
    most_discussed=[signal_page("discussed")],
)


def changes(pruned: bool = False) -> ChangesSection:
    """Every change table with a row (and more in its export), or a pruned comparison."""
    u = "https://s.example/p"
    return ChangesSection(
        "r1-previous",
        WHEN,
        True,
        WHEN if pruned else None,
        ChangeTable("changes_levels", [LevelMove(u, "T", "product", "siloed", "shareable",
                                                 0, 19, "up", ["og (+3)"], [])], 3),
        ChangeTable("changes_checks", [CheckChange("og_incomplete", None, "high", 1, 2, 3,
                                                   [u], [u])], 1),
        ChangeTable("changes_pages", [PageChange("new", False, u, None, None, None, None, None)]),
        ChangeTable("changes_bridges", [NewBridge(u, "Shared once", 1, None, 200)], 1),
        ChangeTable("changes_signals", [SignalChange(u, "T", None, "shared", True, True, None,
                                                     2, 1, ["lemmy"], ["lemmy"])], 1),
        ChangeTable("changes_profiles", [ProfileChange("x", None, None, "new", None, 5, None,
                                                       None, None, 2.5, None, 0.25)], 1),
    )  # fmt: skip


def trend() -> TrendSection:
    """Two runs, every trend list filled, a source that did not answer and a profile."""
    points = [
        TrendPoint(
            run_id,
            WHEN,
            status,
            score,
            4,
            [LevelShare(level, 1, 25.0) for level in LEVELS],
            [TrendValue("high", 2, None, 2)],
            [TrendValue("hackernews", 3, "ok"), TrendValue("reddit", None, "needs token")],
            [TrendValue("bluesky:shop", 120, "ok")],
            [TrendValue("bluesky:shop", 6.5, "ok")],
            {"max_pages": max_pages},
            "stopped" if status == "partial" else None,
        )
        for run_id, status, score, max_pages in (
            ("r1", "partial", 40.0, 100),
            ("r2", "complete", 42.5, None),
        )
    ]
    return trend_section("https://s.example", points, {})


@pytest.fixture
def full_context() -> ReportContext:
    """Every field set, every list non-empty, every optional present."""
    return ReportContext(
        run=RunInfo(
            "r2", "https://s.example/", "s.example", WHEN, WHEN, "partial", "why", "0.1", False
        ),
        summary=Summary(10, 9, 1, 8, 6, 42.5),
        previous=PreviousRun(
            "r1-previous", WHEN, True, ["It is partial (stopped)."], 5, 42.5, 40.0
        ),
        levels=[LevelCount(level, 2, 1, 2) for level in LEVELS],
        finding_changes=[SeverityCount(sev, 3, 4, 3) for sev in SEVERITIES],
        finding_groups=[
            FindingGroup(
                sev,
                f"check_{sev}",
                "cat",
                7,
                "msg",
                "fix",
                [{"url": f"https://s.example/{sev}", "detail": "https://s.example/gone"}],
                True,
            )
            for sev in SEVERITIES
        ]
        + [
            FindingGroup(
                "high",
                "og_incomplete",
                "social",
                9,
                "msg",
                "fix",
                [{"url": "https://s.example/p/1", "detail": "og:image missing"}],
                True,
                "Open Graph incomplete",
                "product",
                9,
            )
        ],
        top_fixes=[
            TopFix(
                "og_incomplete",
                "high",
                "Open Graph incomplete",
                "fix",
                "product",
                9,
                9,
                30.5,
                ["https://s.example/p/1"],
            ),
            TopFix("check_unknown", "unknown", None, None, None, None, 1, 0.25, []),
        ],
        top_silos=[page("https://s.example/silo", "siloed")],
        sections=[
            SectionBar(
                "product",
                len(LEVELS) * 2,
                [Segment(level, 2, 0.2, i * 0.2) for i, level in enumerate(LEVELS)],
            )
        ],
        profiles=[Profile("mastodon", "@shop", "https://m.example/@shop", 5, ["rel-me"])],
        pages=[page(f"https://s.example/{level}", level) for level in LEVELS],
        ladder=[Rung(level, level, f"means {level}", n < 3) for n, level in enumerate(LEVELS)],
        points=[ScorePoint(100, "earned", "missed")],
        social=SocialSection(
            crawled=True,
            audited=[health("ok"), health("ok", unknown=True)],
            unaudited=[health("needs token", unknown=True), health(None, unknown=True)],
            posted_pages=[PostedPage("https://s.example/p", 3, ["bluesky"], None)],
            posts_crawled=True,
        ),
        signals=SIGNALS,
        suppressed_checks=[SuppressedCheck("sitemap_orphan", "Sitemap orphan", "every page")],
        exports=[ExportLink("pages", "csv", "../exports/r2/pages.csv")],
        generated_at=WHEN,
        audits=[MethodAudit("Lighthouse", "canonical", ["Canonical is a relative URL"], ["x"])],
        trends=trend(),
        changes=changes(),
    )


def health(api_status: str | None, unknown: bool = False) -> ProfileHealth:
    """A profile with every figure set, or (``unknown``) every optional figure None."""
    figures = [None] * 10 if unknown else [9, 1, 3, 2.5, 4.0, 0.4, 0.1, 0.2, 0.3, 0.05]
    proof = [None, None, None] if unknown else [True, True, "verified rel=me"]
    return ProfileHealth(
        "mastodon", "@shop", "https://m.example/@shop", api_status, "why", *proof, *figures, ["j"]
    )


def test_report_template_uses_only_report_context_fields() -> None:
    used = undeclared("report.html")
    assert used <= names(ReportContext), used - names(ReportContext)
    assert {"run", "summary", "pages", "sections", "finding_groups"} <= used


def test_index_template_uses_only_index_context_fields() -> None:
    used = undeclared("index.html")
    assert used <= names(IndexContext), used - names(IndexContext)
    assert "runs" in used


def test_base_uses_only_fields_every_context_has() -> None:
    assert undeclared("base.html") <= names(ReportContext) & names(IndexContext)


def test_partials_are_macros_that_see_only_their_arguments() -> None:
    partials = [t for t in environment().list_templates() if t.startswith("_partials/")]
    assert partials
    for template in partials:
        assert template.rsplit("/", 1)[-1].startswith("_")
        assert undeclared(template) == set(), template


def test_full_context_renders_every_attribute_strictly(full_context: ReportContext) -> None:
    html = environment().get_template("report.html").render(template_vars(full_context))
    soup = BeautifulSoup(html, "html.parser")
    assert "r1-previous" in soup.select_one("#changes-since").get_text()
    assert len(soup.select("#page-table tr.page-row")) == len(LEVELS)
    assert len(soup.select("svg#level-chart rect.segment")) == len(LEVELS)
    assert [g["data-severity"] for g in soup.select("article.finding")] == [
        "critical", "high", "high", "medium", "low", "unknown"
    ]  # fmt: skip
    assert [li["data-check"] for li in soup.select("#top-fix-list li")] == [
        "og_incomplete",
        "check_unknown",
    ]
    grouped = soup.select_one('article.finding[data-section="product"]')
    assert "on 9 of 9 product pages" in grouped.get_text(" ", strip=True)
    assert len(soup.select(".profile-card")) == 2
    assert len(soup.select("#unaudited-profiles tbody tr")) == 2
    assert soup.select_one("#export-links a")["href"] == "../exports/r2/pages.csv"
    assert len(soup.select("#bridge-table tr.bridge")) == 1
    assert len(soup.select("#signal-sources .token-hint")) == 1
    assert len(soup.select("#most-shared tbody tr, #most-discussed tbody tr")) == 2
    assert len(soup.select("#page-table ul.page-signals li")) == 3 * len(LEVELS)
    assert soup.select_one('#audit-table tr[data-audit="canonical"]').get_text(" ", strip=True) == (
        "Lighthouse canonical Canonical is a relative URL x"
    )
    assert len(soup.select("#trends circle.trend-point")) == 2 * (1 + len(LEVELS))
    assert len(soup.select("#trends tr.trend-run")) == 2
    assert len(soup.select("#changes tbody tr")) == 6
    assert soup.select_one('#changes .more-rows[data-export="changes_levels"]') is not None
    pruned = dataclasses.replace(full_context, changes=changes(pruned=True))
    soup = BeautifulSoup(
        environment().get_template("report.html").render(template_vars(pruned)), "html.parser"
    )
    assert soup.select_one("#changes-pruned") and len(soup.select("#changes tbody tr")) == 1


def test_context_with_nothing_optional_renders(full_context: ReportContext) -> None:
    empty = dataclasses.replace(
        full_context,
        run=RunInfo("r", None, None, None, None, None, None, None),
        summary=Summary(0, 0, 0, 0, 0, None),
        previous=None,
        levels=[],
        finding_changes=[],
        finding_groups=[],
        top_fixes=[],
        top_silos=[],
        sections=[],
        profiles=[],
        pages=[],
        social=SocialSection(crawled=False),
        signals=SignalsSection(),
        exports=[],
        trends=None,
    )
    soup = BeautifulSoup(
        environment().get_template("report.html").render(template_vars(empty)), "html.parser"
    )
    assert soup.h1.get_text(strip=True) == "Unknown site"
    assert "No findings in this run." in soup.select_one("#findings").get_text()
    assert "nothing to fix" in soup.select_one("#top-fixes").get_text()
    assert soup.select_one("#social-not-crawled") is not None
    assert soup.select_one("#signals-off") is not None
    assert "trend starts with the next run" in soup.select_one("#trends").get_text()


def test_a_missing_field_fails_loudly(full_context: ReportContext) -> None:
    variables = template_vars(full_context)
    del variables["summary"]
    with pytest.raises(UndefinedError):
        environment().get_template("report.html").render(variables)


def test_a_missing_attribute_fails_loudly(full_context: ReportContext) -> None:
    @dataclasses.dataclass
    class ThinRun:  # a run record lacking most fields
        run_id: str

    variables = {**template_vars(full_context), "run": ThinRun("r")}
    with pytest.raises(UndefinedError):
        environment().get_template("report.html").render(variables)


def test_index_renders_full_context_strictly() -> None:
    runs = [IndexRun("r", "https://s.example/", "s.ex", WHEN, "failed", "why", 1, 1, 5.0, None)]
    html = (
        environment()
        .get_template("index.html")
        .render(template_vars(IndexContext(runs=runs, trends=[trend()], generated_at=WHEN)))
    )
    assert len(BeautifulSoup(html, "html.parser").select("svg.trend-chart")) == 1
    row = BeautifulSoup(html, "html.parser").select_one('tr[data-run="r"]')
    assert "why" in row.get_text() and "no report" in row.get_text()


def db_footer(html: str) -> str:
    return BeautifulSoup(html, "html.parser").footer.get_text(" ", strip=True)


def test_footer_leaves_out_what_an_in_memory_database_cannot_say(full_context: ReportContext):
    def rendered_footer(context: ReportContext) -> str:
        return db_footer(environment().get_template("report.html").render(template_vars(context)))

    in_memory = dataclasses.replace(full_context, database=DatabaseFile("1.4.2", None))
    assert "Database written with DuckDB 1.4.2." in rendered_footer(in_memory)
    assert "DuckDB" not in rendered_footer(dataclasses.replace(full_context, database=None))
    index = IndexContext(runs=[], database=DatabaseFile("2.0.1", "2.0.0"))
    text = db_footer(environment().get_template("index.html").render(template_vars(index)))
    assert "needs DuckDB 2.0.0 or newer" in text
