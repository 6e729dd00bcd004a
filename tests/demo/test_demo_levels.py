"""The score agrees with the ladder on a real demo run (issue 8): every level is there, and
a page on a higher level never scores below a page on a lower one."""

from __future__ import annotations

from tests.conftest import Audit


def test_every_level_is_on_the_demo_and_scores_never_cross(demo_signals_audit: Audit) -> None:
    ladder = demo_signals_audit.query("select level from levels order by level_rank")
    ranges = demo_signals_audit.query(
        """
        select p.level, min(p.score), max(p.score), count(*)
        from page_levels p join levels l using (level)
        group by p.level, l.level_rank
        order by l.level_rank
        """
    )
    assert [level for level, *_ in ranges] == [level for (level,) in ladder]
    for (lower, _, top, _), (higher, bottom, _, _) in zip(ranges, ranges[1:], strict=False):
        assert bottom >= top, f"a {higher} page scores {bottom}, below a {lower} page's {top}"
    unranked = demo_signals_audit.query(
        "select count(*) from page_levels where level is null or score is null"
    )
    assert unranked == [(0,)]
