"""What a resumed crawl needs to know, read from what was actually stored.

A resume trusts only committed storage: a page counts as fetched when its batch is in the
database (or the job's feed folder), never because a request was once scheduled. Pages that
were fetched but still in a write buffer when the process died are therefore fetched again,
and pages that were stored are never stored twice. Scrapy's own ``JOBDIR`` queue and
seen-file are not used for this (they mark a URL seen before its page is stored).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from unsilo.languages import N_
from unsilo.pipeline.db import connect
from unsilo.pipeline.feeds import load_parts
from unsilo.pipeline.queries import run_sql
from unsilo.urls import UrlScope, setting_list


@dataclass
class ResumeState:
    """A stored run's crawl frontier: handed to the spider, which never reads storage."""

    fetched: set[str] = field(default_factory=set)  # URLs requested or reached already
    pending: list[tuple[str, int]] = field(default_factory=list)  # (URL, depth) still to fetch
    sitemap_urls: set[str] = field(default_factory=set)  # sitemap entries already stored
    described: set[str] = field(default_factory=set)  # final URL keys whose links are stored


def resume_state(con: duckdb.DuckDBPyConnection, run_id: str) -> ResumeState:
    """The frontier of ``run_id`` as stored in the database ``con``."""
    fetched = {row[0] for row in run_sql(con, "resume_fetched", run_id=run_id).fetchall()}
    pending = _pending(con, run_id)
    sitemap = con.execute(
        "select distinct url from sitemap_urls where run_id = $run_id", {"run_id": run_id}
    ).fetchall()
    described = {row[0] for row in run_sql(con, "resume_described", run_id=run_id).fetchall()}
    return ResumeState(fetched, pending, {row[0] for row in sitemap}, described)


def resume_state_from_job(job_dir: str | Path, run_id: str) -> ResumeState:
    """The frontier of a feed job folder: its committed batches, read in a scratch database."""
    con = connect(":memory:")
    try:
        load_parts(con, run_id, job_dir)
        return resume_state(con, run_id)
    finally:
        con.close()


def unfetched_links(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """How many URLs the stored pages of ``run_id`` link to but were never fetched.

    The same frontier a resume starts from (``resume_pending.sql``): internal links of
    stored HTML pages, within the run's depth limit and include/exclude rules, whose target
    was neither requested nor reached.
    """
    return len(_pending(con, run_id))


def _pending(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple[str, int]]:
    """``resume_pending.sql``'s frontier, less what the run's include/exclude rules never follow.

    The rules are Python regular expressions (``UrlScope``, the spider's own test), so they
    are applied here rather than re-implemented in SQL; the frontier is already a list the
    resumed spider is handed.
    """
    scope = run_scope(con, run_id)
    rows = run_sql(con, "resume_pending", run_id=run_id).fetchall()
    return [(url, int(depth)) for url, depth in rows if scope.allows(url)]


def run_scope(con: duckdb.DuckDBPyConnection, run_id: str) -> UrlScope:
    """The include/exclude rules ``run_id`` recorded when it started (none: every URL)."""
    row = con.execute("select settings from runs where run_id = $r", {"r": run_id}).fetchone()
    try:
        settings = json.loads(row[0]) if row and row[0] else {}
        include, exclude = settings.get("include"), settings.get("exclude")
        return UrlScope.of(setting_list(include), setting_list(exclude))
    except (ValueError, TypeError, AttributeError):  # an older or hand-edited run row
        return UrlScope()


def unaccounted(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    """What an interrupted run lacks, for its reason: ``"12 linked URLs were never fetched"``."""
    if not con.execute("select 1 from pages where run_id = $r limit 1", {"r": run_id}).fetchone():
        return N_("message", "no page was stored")
    missing = unfetched_links(con, run_id)
    if missing == 0:
        return N_("message", "every linked URL was fetched")
    if missing == 1:
        return N_("message", "1 linked URL was never fetched")
    return N_("message", "{} linked URLs were never fetched").format(missing)
