"""The report says which DuckDB wrote its database and which DuckDB a reader needs."""

from __future__ import annotations

import duckdb
from bs4 import BeautifulSoup

from unsilo.pipeline.db import database_file


def footer(html: str) -> str:
    return BeautifulSoup(html, "html.parser").footer.get_text(" ", strip=True)


def test_demo_report_and_index_name_the_duckdb_of_their_database(demo_audit) -> None:
    with duckdb.connect(str(demo_audit.db), read_only=True) as con:
        needed = database_file(con).readable_from
    assert needed is not None and needed[0].isdigit()
    expected = (
        f"Database written with DuckDB {duckdb.__version__}; "
        f"opening the file needs DuckDB {needed} or newer."
    )
    for page in ("report.html", "index.html"):
        assert expected in footer((demo_audit.out / page).read_text(encoding="utf-8")), page
