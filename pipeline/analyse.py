"""Turn one run's raw crawl tables into the marts the report reads.

The SQL models under ``pipeline/sql/`` hold all the logic and ``unsilo.pipeline.models`` derives
their order from what each reads; this module only rebuilds the seeds, scopes the marts to one
run and swaps that run's mart rows in one transaction, so a report never sees half an analysis
and other runs are never touched. Re-running is idempotent.

>>> counts = analyse(con, "2026-11-run")  # doctest: +SKIP
>>> counts["page_levels"]  # doctest: +SKIP
1234
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from unsilo import clock
from unsilo.pipeline.db import create_tables, transaction
from unsilo.pipeline.models import STAGES, ModelGraph
from unsilo.pipeline.upgrade import align_columns


def analyse(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """(Re)build every mart for ``run_id``, stage by stage, and return the row count of each.

    Stages run in ``models.STAGES`` order (the crawl's facts, the profiles, the joined audit)
    in one transaction, so a report never sees a ladder built on half a run. Missing raw or
    mart tables are created, so a run with zero pages (or no profiles, no signals) analyses
    to empty marts. Call it outside a transaction, on a connection opened by
    ``unsilo.pipeline.db.connect`` (or given ``prepare_connection``) so the macros exist. A
    column a model gained since the mart table was created is added to it (NULL for older runs).
    A finished run's row then records when it was analysed: only such a run is compared with
    (``unsilo.pipeline.comparison``), so a run crawled but never analysed is never "previous 0"
    (the analysis a crawl makes for its own follow-up steps, while running, does not count).
    """
    counts = build_stage(con, tuple(STAGES), run_id)
    con.execute(
        "update runs set analysed_at = $now where run_id = $r and status <> 'running'",
        {"r": run_id, "now": clock.utcnow_naive()},
    )
    return counts


class PrunedRunError(ValueError):
    """The run's raw rows were pruned: analysing it again would empty the totals it keeps."""


def build_stage(
    con: duckdb.DuckDBPyConnection, stages: str | tuple[str, ...], run_id: str
) -> dict[str, int]:
    """Rebuild the seeds and then the marts of ``stages`` for ``run_id``, in one transaction."""
    graph = ModelGraph.shipped()
    names = (stages,) if isinstance(stages, str) else stages
    if pruned := pruned_on(con, run_id):
        raise PrunedRunError(
            f"run {run_id}: raw rows pruned on {pruned:%Y-%m-%d}; only its totals remain "
            "(index.html lists them), so it cannot be analysed or reported again"
        )
    with transaction(con):
        create_tables(con)  # absent raw tables and columns: any run, old or empty, analyses
        build_seeds(con)
        marts = [mart for stage in names for mart in graph.build_order(stage)]
        counts = {mart: _rebuild_mart(con, graph, mart, run_id) for mart in marts}
    return counts


def pruned_on(con: duckdb.DuckDBPyConnection, run_id: str) -> datetime | None:
    """When ``run_id``'s raw rows were pruned (``unsilo prune``), or None."""
    try:
        row = con.execute("select pruned_at from runs where run_id = $r", {"r": run_id}).fetchone()
    except duckdb.Error:  # no runs table (or no column) yet: nothing was ever pruned
        return None
    return row[0] if row else None


def build_seeds(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the run-independent seed tables (levels, severities, catalogues) whole."""
    graph = ModelGraph.shipped()
    for seed in graph.seeds():
        con.execute(f"CREATE OR REPLACE TABLE {seed} AS {graph.query(seed)}")


def _rebuild_mart(con: duckdb.DuckDBPyConnection, graph: ModelGraph, mart: str, run_id: str) -> int:
    """Replace this run's rows of ``mart`` with what its model yields now."""
    query = graph.query(mart)
    params = {"run_id": run_id}
    con.execute(f"CREATE TABLE IF NOT EXISTS {mart} AS SELECT * FROM ({query}) LIMIT 0", params)
    model = con.execute(f"DESCRIBE SELECT * FROM ({query})", params).fetchall()
    align_columns(con, mart, {row[0]: row[1] for row in model})  # columns gained since
    con.execute(f"DELETE FROM {mart} WHERE run_id = $run_id", params)
    con.execute(f"INSERT INTO {mart} BY NAME SELECT * FROM ({query})", params)
    row = con.execute(f"SELECT count(*) FROM {mart} WHERE run_id = $run_id", params).fetchone()
    return int(row[0]) if row else 0
