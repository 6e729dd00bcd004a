"""The steps that follow the shop crawl: the social profiles, then the signals.

Their spiders never read the database, so what each is handed (the profiles the shop claims,
the pages worth asking about, the answers still fresh) is read here from the stored run, once
the shop crawl is in. ``collect_signals`` runs the signals step alone (``unsilo signals``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from unsilo.pipeline.db import connect
from unsilo.pipeline.run_history import latest_run
from unsilo.pipeline.signals import carry_forward
from unsilo.workflow import WorkflowError, locked_database, open_database

if TYPE_CHECKING:
    from unsilo.crawl_request import CrawlRequest


def social_args(request: CrawlRequest, run_id: str) -> dict[str, Any] | None:
    """Arguments of the ``social`` spider once the shop crawl of ``run_id`` is stored.

    The profiles the shop claims (analysed from this run: ``sameAs``, ``rel=me`` or
    site-wide links, not a designer linked once) plus the configured ones, minus the
    excluded ones, handed over as a list: the spider never reads the database. None
    when there is nothing to audit. Errors propagate: ``run_crawl`` logs and records
    them without losing the shop crawl.
    """
    if not request.social:
        return None
    from unsilo.pipeline.analyse import analyse
    from unsilo.pipeline.profiles import claimed_profiles
    from unsilo.social.discovery import merge_profiles

    con = connect(request.db_path)
    try:
        analyse(con, run_id)
        claimed = claimed_profiles(con, run_id)
    finally:
        con.close()
    refs = merge_profiles(claimed, request.profiles, request.exclude_profiles)
    if not refs:
        return None
    args: dict[str, Any] = {
        "site": request.url,
        "profiles": json.dumps([ref.profile_url for ref in refs]),
    }
    if request.social_endpoints:
        args["endpoints"] = json.dumps(request.social_endpoints)
    return args


def signals_args(request: CrawlRequest, run_id: str) -> dict[str, Any] | None:
    """Arguments of the ``signals`` spider once the shop crawl (and the profiles) of
    ``run_id`` are stored: the pages most valuable first, the shop's own profiles, and
    the answers still fresh from earlier runs. What the run held of signals before (a
    resumed run) is dropped first: they are asked again. None when switched off.
    """
    if not request.collect_signals:
        return None
    from unsilo.pipeline.analyse import build_stage
    from unsilo.pipeline.signals import (
        forget_signals,
        fresh_answers,
        own_handles,
        signal_targets,
    )

    con = connect(request.db_path)
    try:
        build_stage(con, "site", run_id)  # page_facts and shop_profiles of this run
        forget_signals(con, run_id)
        pages = signal_targets(con, run_id)
        own = own_handles(con, run_id)
        fresh = fresh_answers(con, run_id, request.signal_max_age_days)
    finally:
        con.close()
    if not pages:
        return None  # the shop could not be seen: nothing to ask the world about
    args: dict[str, Any] = {
        "site": request.url,
        "pages": json.dumps(pages),
        "own": json.dumps(own),
        "fresh": json.dumps(fresh),
        "options": json.dumps(request.signal_options),
    }
    if request.signals:
        args["sources"] = json.dumps(request.signals)
    if request.signal_endpoints:
        args["endpoints"] = json.dumps(request.signal_endpoints)
    return args


def collect_signals(request: CrawlRequest, run_id: str | None) -> tuple[str, list[tuple]]:
    """Ask the signal sources about a stored run (default: the latest with pages), under the
    database lock, and return ``(run_id, [(source, status, found, reason), …])``.

    ``unsilo signals``: the step an audit runs after the profiles, on its own — to add signals
    to a run crawled with ``--no-signals`` or to ask again (what the run held is replaced).
    """
    from unsilo.crawl import run_spider

    with locked_database(request.db_path, request.wait_lock):
        with open_database(request.db_path) as con:
            run_id = run_id or latest_run(con, status=("complete", "partial"))
            row = con.execute(
                "select start_url from runs where run_id = $r", {"r": run_id}
            ).fetchone()
        if run_id is None or row is None:
            raise WorkflowError(f"no crawled run in {request.db_path}: run `unsilo crawl` first")
        request.url = row[0]
        args = request.signals_args(run_id)
        if args is None:
            raise WorkflowError(f"run {run_id} has no indexable pages to ask about")
        reason = run_spider("signals", args, request.scrapy_settings(run_id))
        with open_database(request.db_path) as con:
            carry_forward(con, run_id, request.signal_max_age_days)
            sources = con.execute(
                "select source, status, found, reason from signal_sources where run_id = $r "
                "order by source",
                {"r": run_id},
            ).fetchall()
    if reason not in (None, "finished"):
        raise WorkflowError(f"signals of run {run_id} stopped early: {reason}")
    return run_id, sources
