"""The SQL models as a dependency graph: what each file reads, and the order they are built in.

The folder a file sits in is its layer:

* ``seeds/`` — run-independent lookup tables (a VALUES list each: levels, severities, the check
  catalogue, score points), rebuilt whole before any mart;
* ``staging/`` and ``intermediate/`` — readable steps that are never stored: a model that reads
  one gets it inlined as a CTE (dbt's "ephemeral"), so no temporary table sits between models;
* ``marts/site/``, ``marts/social/`` and ``marts/audit/`` — per-run tables, built in that
  order: the crawl's facts (``shop_profiles`` must exist before the social crawl, which reads
  the claimed profiles), the profiles' health, then the joined audit that needs both and the
  signals (ladder, findings);
* ``report/`` and ``queries/`` — read-only queries other modules run; never built;
* ``macros/`` — not relations: the DuckDB macros every connection registers when it opens.

No list says in which order models run: each file is parsed (sqlglot) for the relations it
reads, minus its own CTEs, and sorted topologically, as dbt does. A model that reads a relation
built after it, or one that no file and no raw table provides, or a cycle, is a
``ModelGraphError`` naming the files, raised before anything runs.

>>> graph = ModelGraph.shipped()  # doctest: +SKIP
>>> graph.build_order("site")  # doctest: +SKIP
['page_facts', 'findings', 'shop_profiles', 'page_levels', 'section_levels']
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.abc import Traversable

import sqlglot
from sqlglot import exp

from unsilo.pipeline.queries import sql_files, sql_root
from unsilo.pipeline.schema import TABLES

SOURCES: frozenset[str] = frozenset({*TABLES, "runs", "run_batches"})
"""Raw tables the crawl writes; every model reads only these, seeds and earlier models."""

LAYERS: dict[str, tuple[str, int]] = {
    "seeds": ("seed", 0),
    "staging": ("step", 0),
    "intermediate": ("step", 0),
    "marts/site": ("mart", 1),
    "marts/social": ("mart", 2),
    "marts/audit": ("mart", 3),
    "report": ("query", 4),
    "queries": ("query", 4),
}
"""folder → (kind, stage): a model may read seeds and marts of an earlier stage, or marts of
its own stage (sorted by what they read); steps take the stage of the model they are inlined in."""

MACROS = "macros"
"""Not relations: ``create temp macro`` files ``unsilo.pipeline.db`` runs on each connection."""

STAGES: dict[str, str] = {"site": "marts/site", "social": "marts/social", "audit": "marts/audit"}
"""stage → folder, in build order: the crawl's facts, the profiles, then the joined audit."""


class ModelGraphError(ValueError):
    """The SQL files do not form a buildable graph; the message names the file and relation."""


@dataclass(frozen=True, slots=True)
class Model:
    """One SQL file: its relation name, layer, text and the relations it reads."""

    name: str
    folder: str
    kind: str  # seed | step | mart | query
    stage: int
    sql: str
    reads: frozenset[str]


def relations_read(sql: str, name: str = "model") -> frozenset[str]:
    """Tables a query reads, without its own CTE names.

    >>> sorted(relations_read("with a as (select * from pages) select * from a, runs"))
    ['pages', 'runs']
    """
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError as exc:
        raise ModelGraphError(f"{name}.sql does not parse: {str(exc).splitlines()[0]}") from exc
    own = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    tables = {t.name for t in tree.find_all(exp.Table) if t.name}
    return frozenset(tables - own)


class ModelGraph:
    """Every model below one folder, checked: use ``build_order`` and ``query``."""

    def __init__(self, root: Traversable, sources: Iterable[str] = SOURCES) -> None:
        self.sources = frozenset(sources)
        self.models = {
            name: _model(name, folder, text)
            for name, (folder, text) in sql_files(root).items()
            if folder != MACROS
        }
        self._check()

    @staticmethod
    @cache
    def shipped() -> ModelGraph:
        """The graph of the SQL files shipped with unsilo (parsed once per process)."""
        return ModelGraph(sql_root())

    def seeds(self) -> list[str]:
        return sorted(m.name for m in self.models.values() if m.kind == "seed")

    def build_order(self, stage: str) -> list[str]:
        """The marts of ``stage`` (a key of ``STAGES``), each after the marts it reads."""
        folder = STAGES[stage]
        marts = sorted(name for name, m in self.models.items() if m.folder == folder)
        sorter = graphlib.TopologicalSorter(
            {name: sorted(self._inputs(name) & set(marts)) for name in marts}
        )
        return list(sorter.static_order())

    def query(self, name: str) -> str:
        """The model's query, with every step it reads (directly or not) inlined as a CTE."""
        model = self.models[name]
        steps = self._steps_under(name)
        if not steps:
            return _body(model.sql)
        ctes = ",\n".join(f"{s} as (\n{_body(self.models[s].sql)}\n)" for s in steps)
        return f"with {ctes}\nselect * from (\n{_body(model.sql)}\n)"

    def _steps_under(self, name: str) -> list[str]:
        """The steps ``name`` reads, transitively, each after the steps it reads."""
        needed: dict[str, list[str]] = {}
        pending = [name]
        while pending:
            for read in sorted(self.models[pending.pop()].reads):
                model = self.models.get(read)
                if model and model.kind == "step" and read not in needed:
                    needed[read] = sorted(r for r in model.reads if self._is_step(r))
                    pending.append(read)
        return list(graphlib.TopologicalSorter(needed).static_order())

    def _inputs(self, name: str) -> set[str]:
        """What ``name`` reads once its steps are inlined: sources, seeds and marts."""
        reads = set(self.models[name].reads)
        for step in self._steps_under(name):
            reads |= self.models[step].reads
        return {r for r in reads if not self._is_step(r)}

    def _is_step(self, name: str) -> bool:
        model = self.models.get(name)
        return model is not None and model.kind == "step"

    def _check(self) -> None:
        graph = {name: sorted(m.reads & set(self.models)) for name, m in self.models.items()}
        try:
            tuple(graphlib.TopologicalSorter(graph).static_order())
        except graphlib.CycleError as exc:
            cycle = " -> ".join(exc.args[1])
            raise ModelGraphError(f"SQL models read each other in a cycle: {cycle}") from None
        for model in self.models.values():
            for read in sorted(model.reads):
                self._check_read(model, read)
            if model.kind in ("mart", "query"):
                for read in sorted(self._inputs(model.name) - model.reads):
                    self._check_read(model, read)

    def _check_read(self, model: Model, read: str) -> None:
        where = f"{model.folder}/{model.name}.sql reads {read}"
        if model.kind == "seed":
            raise ModelGraphError(f"{where}: a seed is a VALUES list and reads nothing")
        if read in self.sources:
            return
        other = self.models.get(read)
        if other is None:
            raise ModelGraphError(f"{where}, which is neither a raw table nor a model")
        if other.kind == "query":
            raise ModelGraphError(f"{where}, which is a query in {other.folder}/, never stored")
        if other.kind == "step":
            if model.kind == "query":
                raise ModelGraphError(f"{where}, a step that is only inlined into marts")
            return
        if model.kind == "step":
            return  # checked where the step is inlined, against that mart's stage
        if other.stage > model.stage:
            raise ModelGraphError(f"{where}, which {other.folder}/ builds after it")


def _model(name: str, folder: str, text: str) -> Model:
    if folder not in LAYERS:
        raise ModelGraphError(f"{folder}/{name}.sql is in no known layer: {', '.join(LAYERS)}")
    kind, stage = LAYERS[folder]
    return Model(name, folder, kind, stage, text, relations_read(text, f"{folder}/{name}"))


def _body(sql: str) -> str:
    """A file's statement, ready to nest (no trailing semicolon)."""
    return sql.strip().rstrip(";")
