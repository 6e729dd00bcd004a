"""The tables are derived from the item dataclasses: one schema, no column that comes and goes."""

import dataclasses

import duckdb

from unsilo.items import Hreflang, PageItem, PageSocialItem
from unsilo.pipeline.schema import TABLES, column_types, create_table_sql, duckdb_type


def test_types_map_lists_and_structs() -> None:
    assert duckdb_type(list[str]) == "VARCHAR[]"
    assert duckdb_type(int | None) == "BIGINT"
    assert duckdb_type(Hreflang) == (
        'STRUCT("lang" VARCHAR, "url" VARCHAR, "source" VARCHAR, "valid" BOOLEAN, '
        '"url_key" VARCHAR, "href_issue" VARCHAR)'
    )


def test_every_item_field_is_a_column_in_order() -> None:
    for item_type in TABLES.values():
        assert list(column_types(item_type)) == [f.name for f in dataclasses.fields(item_type)]


def test_tables_create_in_duckdb_with_run_id_first() -> None:
    con = duckdb.connect()
    for table, item_type in TABLES.items():
        con.execute(create_table_sql(item_type))
        columns = [r[0] for r in con.execute(f"describe {table}").fetchall()]
        assert columns[0] == "run_id"
        assert columns[1:] == list(column_types(item_type))
    og_type = con.execute(
        "select data_type from information_schema.columns "
        "where table_name = 'page_social' and column_name = 'og'"
    ).fetchone()
    assert og_type is not None and og_type[0].startswith("STRUCT")
    assert PageItem.TABLE == "pages" and PageSocialItem.TABLE == "page_social"
