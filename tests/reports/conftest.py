"""Fixtures for the report tests: a DuckDB holding runs and the analysis marts, written row
by row from a few lines of test, and a two-run shop with hostile crawled strings in it.

The marts are created here from their documented columns rather than by running the
analysis, so the report is tested against its contract, not against today's analysis.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup

from unsilo.pipeline.analyse import build_seeds
from unsilo.pipeline.db import prepare_connection
from unsilo.pipeline.models import ModelGraph
from unsilo.pipeline.schema import RUNS_SQL, TABLES, create_table_sql
from unsilo.reports.render import render_report

MARTS_SQL = (
    """create table page_facts (run_id varchar, url varchar, url_key varchar,
    final_url_key varchar, status bigint, is_html boolean, is_content boolean,
    indexable boolean, section varchar, depth bigint, inlinks bigint, in_sitemap boolean,
    title varchar)""",
    """create table findings (run_id varchar, url varchar, url_key varchar, "check" varchar,
    category varchar, severity varchar, message varchar, fix varchar, detail varchar,
    section varchar, group_section varchar)""",
    """create table page_value (run_id varchar, url varchar, url_key varchar, section varchar,
    indexable boolean, content_inlinks bigint, in_sitemap boolean, indexable_weight double,
    link_weight double, sitemap_weight double, shared_weight double, page_value double)""",
    """create table shop_profiles (run_id varchar, platform varchar, handle varchar,
    profile_url varchar, pages_linking bigint, sources varchar[])""",
    """create table page_levels (run_id varchar, url varchar, url_key varchar, section varchar,
    title varchar, level varchar, score integer, og_complete boolean, og_image_absolute boolean,
    og_url_matches_canonical boolean, twitter_complete boolean, share_affordance boolean,
    links_to_shop_profiles boolean, earned varchar[], missed varchar[], inlinks bigint,
    editorial_inlinks bigint, depth bigint, in_sitemap boolean, shared boolean,
    conversation boolean, shares bigint, shop_posts bigint, comments bigint, talk_backs bigint,
    shared_on varchar[],
    unknown_sources bigint, first_shared varchar, first_captured varchar)""",
    """create table trends (run_id varchar, measure varchar, subject varchar, value double,
    note varchar)""",
    """create table page_signals (run_id varchar, url_key varchar, source varchar,
    status varchar, reason varchar, shares bigint, shop_shares bigint, points bigint,
    comments bigint, replies_by_others bigint, reposts bigint, quotes bigint,
    first_shared varchar, first_captured varchar, permalinks varchar[])""",
)

SOCIAL_SQL = (
    """create table profile_health (run_id varchar, platform varchar, handle varchar,
    profile_url varchar, api_status varchar, status_reason varchar, linked_from_shop boolean,
    links_to_shop boolean, link_proof varchar, followers bigint, posts_30d bigint,
    posts_90d bigint, median_days_between_posts double, engagement_per_post double,
    engagement_per_follower double, conversation_ratio double, push_ratio double,
    link_ratio double, shop_coverage double, judgements varchar[])""",
    """create table shop_post_links (run_id varchar, url_key varchar, url varchar,
    posts bigint, platforms varchar[], engagement bigint)""",
)
"""The social marts' contract; created only by tests that want them (``social_db``)."""

NO_PROFILES = (
    "select null::varchar as run_id, null::varchar as platform, null::varchar as handle,"
    " null::varchar as api_status, null::bigint as followers, null::bigint as posts_30d,"
    " null::double as median_days_between_posts limit 0"
)
"""Stands in for ``profile_health`` when the trends model runs without the social marts."""

HOSTILE_TITLE = "<script>alert(1)</script>"
JS_URL = "javascript:alert(1)"
QUOTE_URL = 'https://shop.example/p/x"onmouseover=alert(1)'
NON_ASCII_URL = "https://shop.example/kategori/æøå-sko"
NON_ASCII_TITLE = "Sko – æøå ✓ 日本"
FAILED_REASON = "unsilo's crawler was blocked by robots.txt"


@dataclass
class Level:
    """One page_levels row; defaults are a plain siloed product page."""

    url: str
    level: str = "siloed"
    score: int = 0
    section: str = "product"
    title: str | None = "A product"
    inlinks: int = 1
    editorial_inlinks: int | None = None  # None: as many as inlinks (no menu links)
    depth: int = 2
    in_sitemap: bool = False
    earned: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=lambda: ["No share button (+20)"])
    shares: int = 0
    talk_backs: int | None = None
    comments: int | None = None
    shared_on: list[str] = field(default_factory=list)
    shop_posts: int = 0


@dataclass
class Health:
    """One profile_health row; defaults are a healthy audited Mastodon profile."""

    handle: str
    platform: str = "mastodon"
    profile_url: str | None = "https://mastodon.example/@shop"
    api_status: str | None = "ok"
    status_reason: str | None = None
    linked_from_shop: bool | None = True
    links_to_shop: bool | None = True
    link_proof: str | None = "verified rel=me"
    followers: int | None = 1200
    posts_30d: int | None = 6
    posts_90d: int | None = 20
    median_days_between_posts: float | None = 4.5
    engagement_per_post: float | None = 12.5
    engagement_per_follower: float | None = 0.0104
    conversation_ratio: float | None = 0.25
    push_ratio: float | None = 0.4
    link_ratio: float | None = 0.5
    shop_coverage: float | None = 0.125
    judgements: list[str] = field(default_factory=lambda: ["link back is verified"])


@dataclass
class Finding:
    url: str
    check: str
    severity: str
    message: str = "Something is wrong"
    fix: str = "Fix it"
    category: str = "misc"
    section: str | None = None  # the section of the finding's page (findings.section)
    group_section: str | None = None  # the section it is reported under, when grouped
    detail: str | None = None  # e.g. a broken link's target


class ShopDb:
    """Writes runs and mart rows for tests; every method is one insert."""

    Level = Level
    Finding = Finding
    Health = Health

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def run(
        self,
        run_id: str,
        started_at: str,
        *,
        site: str = "shop.example",
        status: str = "complete",
        reason: str | None = None,
        pages: int = 0,
        html_pages: int = 0,
        errors: int = 0,
    ) -> str:
        self.con.execute(
            "insert into runs (run_id, start_url, site, started_at, finished_at, status, reason,"
            " settings, pages, html_pages, errors, unsilo_version, analysed_at) values ($1, $2,"
            " $3, $4, $4, $5, $6, '{}', $7, $8, $9, '0.1.0', $4)",
            [
                run_id,
                f"https://{site}/",
                site,
                datetime.fromisoformat(started_at),
                status,
                reason,
                pages,
                html_pages,
                errors,
            ],
        )
        return run_id

    def levels(self, run_id: str, rows: list[Level]) -> None:
        self.con.executemany(
            "insert into page_levels (run_id, url, url_key, section, title, level, score,"
            " earned, missed, inlinks, depth, in_sitemap, shares, talk_backs, comments,"
            " shared_on, shop_posts, shared, conversation, editorial_inlinks) values ($1, $2,"
            " $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,"
            " $12 + $16 > 0, $12 + $16 > 0 and $13 > 0, $17)",  # shared, conversation
            [
                [
                    run_id,
                    r.url,
                    r.section,
                    r.title,
                    r.level,
                    r.score,
                    r.earned,
                    r.missed,
                    r.inlinks,
                    r.depth,
                    r.in_sitemap,
                    r.shares,
                    r.talk_backs,
                    r.comments,
                    r.shared_on,
                    r.shop_posts,
                    r.inlinks if r.editorial_inlinks is None else r.editorial_inlinks,
                ]
                for r in rows
            ],
        )
        self.totals(run_id)

    def totals(self, run_id: str) -> None:
        """Rebuild the run's trends rows from the rows inserted so far, as analysis does
        (totals are derived, so the model makes them: the report reads them for changes)."""
        self.con.execute("delete from trends where run_id = $1", [run_id])
        query = ModelGraph.shipped().query("trends")
        has_social = self.con.execute(
            "select count(*) from duckdb_tables() where table_name = 'profile_health'"
        ).fetchone()
        if not (has_social and has_social[0]):  # the social marts are created only on demand:
            query = f"with profile_health as ({NO_PROFILES}) select * from ({query})"
        self.con.execute(f"insert into trends by name select * from ({query})", {"run_id": run_id})

    def facts(self, run_id: str, indexable: int, other: int) -> None:
        rows = [(True, i) for i in range(indexable)] + [(False, i) for i in range(other)]
        self.con.executemany(
            "insert into page_facts (run_id, url, url_key, final_url_key, status, is_html,"
            " is_content, indexable, section, depth, inlinks, in_sitemap, title)"
            " values ($1, $2, $2, $2, 200, true, true, $3, 'other', 1, 0, false, 't')",
            [[run_id, f"https://shop.example/{ix}/{i}", ix] for ix, i in rows],
        )
        self.totals(run_id)

    def findings(self, run_id: str, rows: list[Finding]) -> None:
        self.con.executemany(
            'insert into findings (run_id, url, url_key, "check", category, severity, message,'
            " fix, detail, section, group_section)"
            " values ($1, $2, $2, $3, $4, $5, $6, $7, $10, $8, $9)",
            [
                [
                    run_id,
                    *(f.url, f.check, f.category, f.severity, f.message, f.fix),
                    *(f.section, f.group_section, f.detail),
                ]
                for f in rows
            ],
        )
        self.totals(run_id)

    def crawled(self, run_id: str, urls: list[str], status: int = 200) -> None:
        """page_facts rows for exactly these URLs (HTML; indexable when they answer 200)."""
        self.con.executemany(
            "insert into page_facts (run_id, url, url_key, final_url_key, status, is_html,"
            " is_content, indexable, section, depth, inlinks, in_sitemap, title)"
            " values ($1, $2, $2, $2, $3, true, true, $3 = 200, 'product', 1, 0, false, 'T')",
            [[run_id, url, status] for url in urls],
        )

    def prune(self, run_id: str) -> None:
        """What ``unsilo prune`` leaves of a run: its row (pruned_at set), no per-page rows."""
        self.con.execute("update runs set pruned_at = now() where run_id = $1", [run_id])
        for table in ("page_levels", "page_facts", "findings", "page_signals"):
            self.con.execute(f"delete from {table} where run_id = $1", [run_id])

    def source(self, run_id: str, source: str, status: str = "ok", **facts: object) -> None:
        """One signal_sources row: how ``source`` answered in the run."""
        self._insert("signal_sources", run_id=run_id, source=source, status=status, **facts)

    def page_signal(self, run_id: str, url: str, source: str, status: str, **facts: object) -> None:
        """One page_signals row (``url`` is the page's url_key, as Level stores it)."""
        self._insert(
            "page_signals", run_id=run_id, url_key=url, source=source, status=status, **facts
        )

    def _insert(self, table: str, **row: object) -> None:
        marks = ", ".join(f"${i}" for i in range(1, len(row) + 1))
        self.con.execute(
            f"insert into {table} ({', '.join(row)}) values ({marks})", list(row.values())
        )

    def bridge(self, run_id: str, url: str, message: str, permalinks: list[str]) -> None:
        """One broken_bridge finding, its permalinks space-separated in detail as the model
        writes them."""
        self.con.execute(
            'insert into findings (run_id, url, url_key, "check", category, severity, message,'
            " fix, detail) values ($1, $2, $2, 'broken_bridge', 'signals', 'critical', $3,"
            " 'Restore it', $4)",
            [run_id, url, message, " ".join(permalinks)],
        )

    def profile(
        self, run_id: str, platform: str, handle: str | None, url: str, sources: list[str]
    ) -> None:
        self.con.execute(
            "insert into shop_profiles values ($1, $2, $3, $4, 9, $5)",
            [run_id, platform, handle, url, sources],
        )


def add_social_tables(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in SOCIAL_SQL:
        con.execute(ddl)


def insert_health(con: duckdb.DuckDBPyConnection, run_id: str, rows: list[Health]) -> None:
    names = [f.name for f in fields(Health)]
    columns = ", ".join(["run_id", *names])
    marks = ", ".join(f"${i}" for i in range(1, len(names) + 2))
    con.executemany(
        f"insert into profile_health ({columns}) values ({marks})",
        [[run_id, *(getattr(r, n) for n in names)] for r in rows],
    )


def insert_posted(
    con: duckdb.DuckDBPyConnection, run_id: str, rows: list[tuple[str, int, list[str], int | None]]
) -> None:
    """``(url, posts, platforms, engagement)`` rows of shop_post_links."""
    con.executemany(
        "insert into shop_post_links values ($1, $2, $2, $3, $4, $5)",
        [[run_id, url, posts, platforms, engagement] for url, posts, platforms, engagement in rows],
    )


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(":memory:")
    prepare_connection(connection)
    build_seeds(connection)  # levels, severities: the report's ladders, not analysis output
    connection.execute(RUNS_SQL)
    for item_type in TABLES.values():
        connection.execute(create_table_sql(item_type))
    for ddl in MARTS_SQL:
        connection.execute(ddl)
    yield connection
    connection.close()


@pytest.fixture
def db(con: duckdb.DuckDBPyConnection) -> ShopDb:
    return ShopDb(con)


PREVIOUS_LEVELS = [
    Level("https://shop.example/", "siloed", 10, "home", inlinks=50),
    Level("https://shop.example/p/1", "siloed", 0),
    Level("https://shop.example/p/2", "siloed", 0),
    Level("https://shop.example/p/3", "siloed", 0),
    Level("https://shop.example/c/1", "shareable", 50, "category"),
]

CURRENT_LEVELS = [
    Level(
        "https://shop.example/",
        "share-ready",
        100,
        "home",
        "Home",
        50,
        0,
        True,
        earned=["Open Graph complete (+30)"],
        missed=[],
    ),
    Level(
        "https://shop.example/p/1", "siloed", 20, title=HOSTILE_TITLE, inlinks=30, in_sitemap=True
    ),
    Level(JS_URL, "siloed", 0, inlinks=40),
    Level(QUOTE_URL, "shareable", 60, title='"><img src=x onerror=alert(1)>'),
    Level(NON_ASCII_URL, "shareable", 40, "category", NON_ASCII_TITLE, inlinks=12),
    Level("https://shop.example/blog/a", "siloed", 10, "article", inlinks=3),
]

CURRENT_FINDINGS = (
    [Finding("https://shop.example/boom", "status_5xx", "critical")]
    + [Finding(f"https://shop.example/t/{i}", "title_missing", "high") for i in range(2)]
    + [Finding(JS_URL, "broken_internal_link", "high", message=HOSTILE_TITLE)]
    + [Finding(f"https://shop.example/d/{i}", "description_missing", "medium") for i in range(7)]
    + [Finding(NON_ASCII_URL, "title_too_long", "low", message=f"Title: {NON_ASCII_TITLE}")]
)

PREVIOUS_FINDINGS = [
    Finding(f"https://shop.example/t/{i}", "title_missing", "high") for i in range(3)
] + [Finding(f"https://shop.example/l/{i}", "title_too_long", "low") for i in range(2)]


@dataclass
class Shop:
    """The two-run shop scenario: ids of its runs, what was inserted, the hostile strings."""

    previous: str
    current: str
    other_site: str
    current_levels: list[Level]
    current_findings: list[Finding]
    hostile_title: str = HOSTILE_TITLE
    js_url: str = JS_URL
    quote_url: str = QUOTE_URL
    non_ascii_url: str = NON_ASCII_URL
    non_ascii_title: str = NON_ASCII_TITLE
    reason: str = FAILED_REASON


@pytest.fixture
def shop(db: ShopDb) -> Shop:
    previous = db.run("2026-10-01T000000Z-aaaaaa", "2026-10-01 02:00:00", pages=8, html_pages=6)
    db.levels(previous, PREVIOUS_LEVELS)
    db.findings(previous, PREVIOUS_FINDINGS)
    db.facts(previous, indexable=5, other=1)
    other = db.run("2026-10-15T000000Z-bbbbbb", "2026-10-15 02:00:00", site="other.example")
    db.levels(other, [Level("https://other.example/x", "shareable", 50)])
    current = db.run(
        "2026-11-01T000000Z-cccccc",
        "2026-11-01 02:00:00",
        status="partial",
        reason=FAILED_REASON + " for /blog",
        pages=12,
        html_pages=10,
        errors=2,
    )
    db.levels(current, CURRENT_LEVELS)
    db.findings(current, CURRENT_FINDINGS)
    db.facts(current, indexable=7, other=3)
    db.profile(
        current, "instagram", "shop_dk", "https://www.instagram.com/shop_dk", ["link", "sameAs"]
    )
    db.profile(current, "x", "<b>evil</b>", JS_URL, ["rel-me"])
    return Shop(previous, current, other, CURRENT_LEVELS, CURRENT_FINDINGS)


@pytest.fixture
def render(con: duckdb.DuckDBPyConnection, tmp_path: Path):
    """Render a run and return its parsed HTML."""

    def _render(run_id: str) -> BeautifulSoup:
        path = render_report(con, run_id, tmp_path / "out" / "runs" / f"{run_id}.html")
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    return _render
