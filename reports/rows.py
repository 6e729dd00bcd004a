"""Rows of a report query as dicts and as context dataclasses: the one way report sections
read their models, so every section turns columns into fields alike."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

import duckdb

from unsilo.pipeline.queries import run_sql

T = TypeVar("T")


def records(con: duckdb.DuckDBPyConnection, model: str, **params: object) -> list[dict]:
    """Rows of ``model`` (a ``report/*.sql`` query) as dicts keyed by column name."""
    cursor = run_sql(con, model, **params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def build(cls: type[T], record: dict[str, Any]) -> T:
    """An instance of ``cls`` from the record's columns of the same names (others ignored).

    A column the record lacks is None, unless its field has a default, which it then keeps
    (a page row read without its signals gets no signals, not None).
    """
    values = {
        f.name: record.get(f.name)
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in record
        or (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
    }
    return cls(**values)
