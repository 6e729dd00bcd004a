"""Fixtures for the analysis tests: an in-memory DuckDB with the raw tables, and a builder
that turns a few lines of test into typed items inserted with one ``read_json`` per table.

The builder's default page is clean (200, HTML, self-canonical, a 30-60 character title,
a description, one h1, lang): a test adds exactly the defect it is about, so the expected
findings can be listed in full.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from unsilo.extract.opengraph import og_url_key
from unsilo.items import (
    LinkItem,
    MetaProperty,
    PageItem,
    PageSocialItem,
    ProfileLinkItem,
    RedirectHop,
    ShareLink,
    SitemapUrlItem,
)
from unsilo.pipeline.db import prepare_connection
from unsilo.pipeline.schema import RUNS_SQL, TABLES, create_table_sql, stored_columns
from unsilo.signals.items import SignalCheckItem, SignalItem, SignalSourceItem
from unsilo.urls import http_url_key, url_domain, url_key

SITE = "https://shop.example"


def insert_items(
    con: duckdb.DuckDBPyConnection, run_id: str, items: list[Any], folder: Path
) -> None:
    """Insert ``items`` (any mix of item types) for ``run_id``: one statement per table."""
    by_table: dict[str, list[Any]] = {}
    for item in items:
        by_table.setdefault(item.TABLE, []).append(item)
    for table, rows in by_table.items():
        path = folder / f"{run_id}-{table}-{len(list(folder.iterdir()))}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps({"run_id": run_id, **dataclasses.asdict(row)}, default=str))
                out.write("\n")
        columns = stored_columns(TABLES[table])
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT * FROM read_json($path, columns=$columns, "
            "format='newline_delimited')",
            {"path": str(path), "columns": columns},
        )


def og_props(path: str, **overrides: str | None) -> list[MetaProperty]:
    """A complete Open Graph set for ``path``; an override of None drops that property."""
    props: dict[str, str | None] = {
        "og:title": f"Shareable {path}",
        "og:type": "website",
        "og:image": f"{SITE}/img{path.rstrip('/')}.jpg",
        "og:url": SITE + path,
        "og:description": f"About {path}",
    }
    props.update({k.replace("_", ":", 1): v for k, v in overrides.items()})
    return [MetaProperty(k, v) for k, v in props.items() if v is not None]


@dataclasses.dataclass
class RunBuilder:
    """Collects the raw items of one run of the fictional shop at ``SITE``."""

    con: duckdb.DuckDBPyConnection
    run_id: str
    folder: Path
    items: list[Any] = dataclasses.field(default_factory=list)

    site: str = SITE

    @staticmethod
    def url(path: str) -> str:
        return SITE + path

    og = staticmethod(og_props)

    def page(self, path: str, **facts: Any) -> PageItem:
        url = SITE + path
        final = SITE + facts.pop("final", path)
        hops = facts.pop("hops", [])
        defaults: dict[str, Any] = {
            "status": 200,
            "is_html": True,
            "content_type": "text/html",
            "depth": 0 if path == "/" else 1,
            "found_via": "start" if path == "/" else "link",
            "title": f"Example Shop - the fine page at {path}",
            "title_count": 1,
            "meta_description": f"Everything about {path} at Example Shop.",
            "meta_description_count": 1,
            "canonical": final,
            "canonical_key": url_key(final),
            "canonicals": [final],
            "lang": "en",
            "h1": [f"Heading {path}"],
        }
        defaults.update(facts)
        # stored keys as the extractor sets them (tests give Hreflang its first four fields)
        defaults["hreflang"] = [
            dataclasses.replace(h, url_key=h.url_key or http_url_key(h.url))
            for h in defaults.get("hreflang", [])
        ]
        item = PageItem(
            url=url,
            url_key=url_key(url),
            final_url=final,
            final_url_key=url_key(final),
            final_url_domain=url_domain(final),
            redirect_chain=[RedirectHop(SITE + p, s) for p, s in hops],
            **defaults,
        )
        self.items.append(item)
        return item

    def link(self, source: str, target: str, **facts: Any) -> None:
        target_url = target if "://" in target else SITE + target
        self.items.append(
            LinkItem(
                source_url_key=url_key(SITE + source),
                target_url=target_url,
                target_url_key=url_key(target_url),
                anchor=facts.pop("anchor", "a link"),
                **facts,
            )
        )

    def social(self, path: str, **facts: Any) -> None:
        facts.setdefault("og_url_key", og_url_key(facts.get("og", [])))  # as extraction does
        self.items.append(PageSocialItem(url_key=url_key(SITE + path), **facts))

    def shareable(self, path: str, **facts: Any) -> None:
        """Page social facts with complete, absolute, self-matching Open Graph."""
        self.social(path, og=og_props(path), **facts)

    def share_link(self, path: str = "/") -> list[ShareLink]:
        return [ShareLink("facebook", f"https://www.facebook.com/sharer.php?u={SITE}{path}")]

    def profile(
        self, path: str, platform: str, handle: str, source: str = "link", url: str | None = None
    ) -> None:
        self.items.append(
            ProfileLinkItem(
                url_key=url_key(SITE + path),
                platform=platform,
                handle=handle,
                profile_url=url or f"https://{platform}.example/{handle}",
                source=source,
            )
        )

    def signal(
        self, url: str, source: str = "hackernews", checked_at: str | None = None, **facts: Any
    ) -> None:
        """A share of ``url`` (a path on the shop, or a full URL as the sharer spelled it);
        its source answered for the whole domain (at ``checked_at``)."""
        full = SITE + url if url.startswith("/") else url
        facts.setdefault("item_id", f"{source}-{len(self.items)}")
        self.items.append(
            SignalItem(
                source=source,
                target="shop.example",
                url=full,
                url_key=url_key(full),
                **facts,
            )
        )
        self.answered(source, fetched_at=checked_at)

    def answered(
        self,
        source: str,
        status: str = "ok",
        *,
        scope: str = "domain",
        target: str = "",
        fetched_at: str | None = None,
    ) -> None:
        """``source`` asked (its whole domain, or one page's key) and how that ended."""
        self.items.append(
            SignalCheckItem(
                source=source,
                scope=scope,
                target=target or "shop.example",
                status=status,
                requests=1,
                fetched_at=fetched_at,
            )
        )
        if not any(isinstance(i, SignalSourceItem) and i.source == source for i in self.items):
            self.items.append(SignalSourceItem(source=source, status=status))

    def sitemap(self, path: str) -> None:
        self.items.append(
            SitemapUrlItem(
                url=SITE + path, url_key=url_key(SITE + path), sitemap_url=SITE + "/sitemap.xml"
            )
        )

    def load(self) -> None:
        insert_items(self.con, self.run_id, self.items, self.folder)
        self.items = []


def insert_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    started_at: datetime,
    *,
    url: str = "https://shop.example/",
    status: str = "complete",
    reason: str | None = None,
    pages: int = 100,
    settings: dict[str, Any] | None = None,
    analysed: bool = True,
    pruned: bool = False,
) -> str:
    """A finished run row as the run owner and the analysis leave it (a whole crawl when
    complete; analysed and pruned at its start time when asked)."""
    con.execute(
        "insert into runs (run_id, start_url, site, started_at, finished_at, status, reason,"
        " settings, pages, crawl_whole, analysed_at, pruned_at)"
        " values ($1, $2, 'shop.example', $3, $3, $4, $5, $6, $7, $8, $9, $10)",
        [
            run_id,
            url,
            started_at,
            status,
            reason,
            json.dumps(settings or {}),
            pages,
            status == "complete",
            started_at if analysed else None,
            started_at if pruned else None,
        ],
    )
    return run_id


@pytest.fixture
def duck() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory database with the raw tables and macros, as the storage layer creates them."""
    con = duckdb.connect()
    prepare_connection(con)
    for item_type in TABLES.values():
        con.execute(create_table_sql(item_type))
    con.execute(RUNS_SQL)
    yield con
    con.close()


@pytest.fixture
def make_run(duck: duckdb.DuckDBPyConnection, tmp_path: Path) -> Callable[[str], RunBuilder]:
    """Factory: ``make_run("r1")`` gives a builder whose ``load()`` writes its items."""
    return lambda run_id="r1": RunBuilder(duck, run_id, tmp_path)


@pytest.fixture
def query(duck: duckdb.DuckDBPyConnection) -> Callable[..., list[dict[str, Any]]]:
    """Run SQL with named parameters and get rows as dicts."""

    def run(sql: str, **params: Any) -> list[dict[str, Any]]:
        cur = duck.execute(sql, params or None)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    return run
