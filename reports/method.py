"""The method section's list of published audits unsilo's checks follow.

Read from the ``check_references`` seed (through ``report_method_audits``), so the report
names the audit a check copies wherever the catalogue says so, and a new check that follows
one appears here without touching a template.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from unsilo.reports.rows import build, records


@dataclass(frozen=True, slots=True)
class MethodAudit:
    """One audit (e.g. Lighthouse ``canonical``) and the checks that follow its semantics."""

    source: str
    audit: str
    checks: list[str]  # catalogue summaries
    fails_when: list[str]


def method_audits(con: duckdb.DuckDBPyConnection) -> list[MethodAudit]:
    """Every audit the check catalogue follows, in the references seed's order."""
    return [build(MethodAudit, row) for row in records(con, "report_method_audits")]
