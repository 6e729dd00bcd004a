"""The social profiles a run's shop claims: what the social spider is handed to audit.

A profile linked from a shop page is not necessarily the shop's: a product page may link
its designer's Bluesky. ``shop_profiles`` (``pipeline/sql/marts/site/shop_profiles.sql``)
decides which are claimed (``sameAs``, ``rel="me"``, or linked from at least half of the HTML
pages); this module reads that decision for one run, so the spider never opens the warehouse itself.

>>> analyse(con, run_id)  # doctest: +SKIP  (builds shop_profiles for the run)
>>> [ref.handle for ref in claimed_profiles(con, run_id)]  # doctest: +SKIP
['nordlysgoods.example', 'nordlysgoods@mastodon.social']
"""

from __future__ import annotations

import duckdb

from unsilo.pipeline.queries import run_sql
from unsilo.social.discovery import ProfileRef, parse_profile_url

ProfileRow = tuple[str, str | None, str, list[str] | None]


def claimed_profiles(con: duckdb.DuckDBPyConnection, run_id: str) -> list[ProfileRef]:
    """The profiles the shop claims in ``run_id``, ordered by platform and handle.

    Call it after ``analyse(con, run_id)``, which builds ``shop_profiles`` for the run. The
    raw ``profile_links`` are deliberately no fallback: they hold every profile linked
    anywhere, the designer's included.
    """
    return refs_from_rows(run_sql(con, "claimed_profiles", run_id=run_id).fetchall())


def refs_from_rows(rows: list[ProfileRow]) -> list[ProfileRef]:
    """``ProfileRef``s of ``(platform, handle, profile_url, sources)`` rows; a handle-less
    row is re-parsed from its URL and dropped when that finds no handle either (the spider
    could not ask a platform about it)."""
    refs: list[ProfileRef] = []
    for platform, handle, url, sources in rows:
        if not handle:
            parsed = parse_profile_url(url)
            if parsed is None:
                continue
            handle = parsed.handle
        refs.append(ProfileRef(platform, handle, url, list(sources or [])))
    return refs
