"""Rows of a report query as dicts and as context dataclasses: the one way report sections
read their models, so every section turns columns into fields alike."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

import duckdb

from unsilo.pipeline.queries import run_sql

T = TypeVar("T")


class ReportError(Exception):
    """The report cannot be produced; the message says what to do about it."""


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


def analysed_records(con: duckdb.DuckDBPyConnection, model: str, **params: object) -> list[dict]:
    """``records``, for the marts every report needs: a missing mart means the run was never
    analysed, said as a ``ReportError``."""
    try:
        return records(con, model, **params)
    except duckdb.CatalogException as exc:
        raise ReportError(
            f"the database lacks a table the report reads ({exc}); "
            "analyse the run first (`unsilo report` does)"
        ) from exc


def analysed_rows(
    con: duckdb.DuckDBPyConnection, cls: type[T], model: str, **params: object
) -> list[T]:
    """``analysed_records`` as ``cls`` instances (``build``)."""
    return [build(cls, record) for record in analysed_records(con, model, **params)]


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether this database has table ``name``: the social marts exist only once the social
    step ran, and a section without them says so instead of failing."""
    [(count,)] = con.execute(
        "select count(*) from duckdb_tables() where table_name = $name"
        " and database_name = current_database() and schema_name = current_schema()",
        {"name": name},
    ).fetchall()  # fetched to the end: a half-read result blocks the connection's relations
    return count > 0
