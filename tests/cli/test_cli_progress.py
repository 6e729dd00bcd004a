"""What an audit prints without a terminal (cron, a pipe) and with -q: timestamped phase
lines on stderr, and the end summary on stdout with the figures the database holds."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import NO_FOLLOW_UPS, Audit, run_cli

STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
PHASES = ("shop crawl", "social profiles", "signals", "analysis", "render")


def summary_lines(stdout: str) -> list[str]:
    """The summary: from its ``run …: status`` line on."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"({STAMP} )?run \S+: ", line))
    return lines[start:]


def test_a_log_gets_timestamped_lines_for_every_phase(demo_signals_audit: Audit) -> None:
    err = demo_signals_audit.process.stderr.splitlines()
    for phase in PHASES:
        assert any(re.fullmatch(rf"{STAMP} {phase}: started", line) for line in err), phase
        assert any(re.fullmatch(rf"{STAMP} {phase}: done in \d:\d\d:\d\d", line) for line in err)
    crawled = [line for line in err if re.match(rf"{STAMP} shop crawl: \d+ pages done", line)]
    assert crawled, err
    sources = {m[1] for line in err if (m := re.match(rf"{STAMP} signals: ([\w ]+?): \d+ ", line))}
    assert {"Hacker News", "Lemmy", "Wayback Machine"} <= sources  # a line per source, by brand
    assert not any("\r" in line for line in err)  # no terminal redraws in a log


def test_the_summary_says_what_the_database_holds(demo_signals_audit: Audit) -> None:
    audit = demo_signals_audit
    lines = summary_lines(audit.process.stdout)
    [(run_id, status, pages, html, errors)] = audit.query(
        "select run_id, status, pages, html_pages, errors from runs"
    )
    assert re.fullmatch(rf"{STAMP} run {run_id}: {status} — http://127\.0\.0\.1:\d+/", lines[0])
    assert f"pages: {pages:,} crawled, {html:,} HTML, {errors:,} errors" in lines
    counts = dict(audit.query("select level, count(*) from page_levels group by level"))
    labels = dict(audit.query("select level, label from levels"))
    [levels] = [line for line in lines if line.startswith("levels: ")]
    for level, n in counts.items():
        assert f"{labels[level]} {n:,}" in levels
    [(bridges,)] = audit.query("select count(*) from findings where \"check\" = 'broken_bridge'")
    assert bridges > 0 and f"broken bridges: {bridges}" in lines
    fixes = lines[lines.index("top fixes:") + 1 : lines.index("top fixes:") + 4]
    assert [line[:5] for line in fixes] == ["  1. ", "  2. ", "  3. "]
    checks = {c for (c,) in audit.query('select distinct "check" from findings')}
    assert all(re.search(r"\((\w+), \w+\) — \d+ pages?, impact", f) for f in fixes)
    assert {re.search(r"\((\w+), ", f)[1] for f in fixes} <= checks
    out = audit.out.absolute()
    assert f"report: {out / 'report.html'}" in lines
    assert f"index: {out / 'index.html'}" in lines
    exports = out / "exports" / run_id
    assert any(line.startswith(f"exports: {exports} (") for line in lines)
    assert len(list(exports.iterdir())) == int(re.search(r"\((\d+) files", lines[-1])[1])


def test_quiet_prints_only_the_summary(tmp_path: Path, demo_server) -> None:
    args = ("audit", demo_server.url, "--db", str(tmp_path / "q.duckdb"), *NO_FOLLOW_UPS, "-q")
    result = run_cli(*args, "--out", str(tmp_path / "report"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not any(f"{phase}:" in result.stderr for phase in PHASES), result.stderr
    lines = summary_lines(result.stdout)
    assert lines == result.stdout.splitlines()  # nothing before the summary
    assert lines[0].split(": ", 1)[1].startswith("complete — ")
    assert f"report: {tmp_path / 'report' / 'report.html'}" in lines
    again = run_cli(
        "report", "--db", str(tmp_path / "q.duckdb"), "--out", "again", "-q", cwd=tmp_path
    )
    assert again.returncode == 0 and not any(f"{p}:" in again.stderr for p in PHASES), again.stderr
    assert summary_lines(again.stdout) == again.stdout.splitlines()  # report -q: the end only


def test_a_crawl_alone_says_the_rest_needs_a_report(tmp_path: Path, demo_server) -> None:
    args = ("crawl", demo_server.url, "--db", str(tmp_path / "c.duckdb"), *NO_FOLLOW_UPS)
    result = run_cli(*args, "--max-pages", "5", "-s", "AUTOTHROTTLE_ENABLED=0", cwd=tmp_path)
    assert result.returncode == 3, result.stderr[-3000:]  # capped: partial
    lines = summary_lines(result.stdout)
    assert "partial (page limit reached" in lines[0]
    assert "levels, fixes, bridges: not analysed yet (`unsilo report` does)" in lines
    assert not any(line.startswith("report: ") for line in lines)
