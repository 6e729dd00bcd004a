"""The history demo's monthly states: a pure function of the month, with the story it tells."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lxml.html
import pytest

from unsilo.clock import now, run_clock
from unsilo.demo import plan as P
from unsilo.demo.history import (
    BREAKING_PRODUCT,
    GROWTH_PER_MONTH,
    MonthState,
    Timeline,
    month_date,
    month_state,
)
from unsilo.pipeline.run_rows import new_run_id
from unsilo.social.fake_data import OUTSIDE_LINK

BASE = "http://shop.test:8080/"
MONTHS = 12


def _og(state: MonthState, path: str) -> dict[str, str]:
    response = state.shop().render(path, BASE)
    assert response is not None and response.status == 200
    tree = lxml.html.fromstring(response.body)
    return {m.get("property"): m.get("content") for m in tree.xpath("//meta[@property]")}


def test_a_month_is_a_pure_function_of_its_number() -> None:
    a, b = month_state(5, MONTHS), month_state(5, MONTHS)
    assert a == b
    for path in ("/", "/sitemap-1.xml", a.breaking_path):
        assert a.shop().render(path, BASE) == b.shop().render(path, BASE)
    assert a.social(BASE).posts() == b.social(BASE).posts()
    assert a.signals(BASE).shares == b.signals(BASE).shares
    sitemaps = [month_state(k, MONTHS).shop().sitemap_child_xml(BASE, 1) for k in (5, 6)]
    assert sitemaps[0] != sitemaps[1]  # the next month is another shop


def test_months_are_dated_a_calendar_month_apart() -> None:
    dates = [month_date(k).date().isoformat() for k in (0, 1, 11, 12)]
    assert dates == ["2026-01-01", "2026-02-01", "2026-12-01", "2027-01-01"]
    with pytest.raises(ValueError, match="month 12 of a 12-month history"):
        month_state(12, MONTHS)


def test_pages_are_added_and_the_landing_page_is_removed() -> None:
    t = Timeline(MONTHS)
    sizes = [len(list(month_state(k, MONTHS).shop().paths())) for k in range(MONTHS)]
    assert sizes[-1] == sizes[0] + GROWTH_PER_MONTH * (MONTHS - 1) - 2  # less the two removed
    before = month_state(t.landing_gone_month - 1, MONTHS).shop()
    after = month_state(t.landing_gone_month, MONTHS).shop()
    assert P.LANDING in before.paths() and before.render(P.LANDING, BASE) is not None
    assert P.LANDING not in after.paths() and after.render(P.LANDING, BASE) is None
    assert P.LANDING not in after.sitemap_child_xml(BASE, 1)


def test_the_shared_product_breaks_but_stays_linked_from_the_home_page() -> None:
    t = Timeline(MONTHS)
    shared, broken = month_state(t.break_month - 1, MONTHS), month_state(t.break_month, MONTHS)
    path = shared.breaking_path
    assert path == shared.shop().plan.product_path(BREAKING_PRODUCT) == broken.breaking_path
    assert shared.shop().render(path, BASE) is not None
    assert broken.shop().render(path, BASE) is None  # the server answers 404
    home = broken.shop().render("/", BASE)
    assert home is not None and path.encode() in home.body
    for state in (shared, broken, month_state(0, MONTHS)):  # shared before the history began
        urls = {s.url for s in state.signals(BASE).shares}
        assert BASE.rstrip("/") + path in urls


def test_open_graph_is_fixed_on_the_product_section() -> None:
    t = Timeline(MONTHS)
    plan = month_state(0, MONTHS).shop().plan
    bare = next(i for i in range(plan.products) if P.product_features(i).og == "none")
    path = plan.product_path(bare)
    assert "og:image" not in _og(month_state(t.og_fix_month - 1, MONTHS), path)
    fixed = _og(month_state(t.og_fix_month, MONTHS), path)
    assert fixed["og:image"].startswith(BASE.rstrip("/")) and fixed["og:title"]


def test_the_profile_grows_more_active_and_links_the_shop_more() -> None:
    first, last = month_state(0, MONTHS).social(BASE), month_state(MONTHS - 1, MONTHS).social(BASE)

    def recent(social: object, date: datetime) -> int:
        return sum(p.created_at >= date - timedelta(days=30) for p in social.posts())  # type: ignore[attr-defined]

    assert recent(last, month_date(MONTHS - 1)) > 3 * recent(first, month_date(0))
    assert last.followers > 5 * first.followers
    shop_share = [
        sum(not p.link.startswith(OUTSIDE_LINK) for p in s.posts()) / s.post_count
        for s in (first, last)
    ]
    assert shop_share[1] == 1.0 > shop_share[0]
    assert not first.bio_links_shop and last.bio_links_shop
    assert all(p.created_at < month_date(MONTHS - 1) for p in last.posts())


def test_shares_appear_once_their_date_has_passed() -> None:
    counts = [len(month_state(k, MONTHS).signals(BASE).shares) for k in range(MONTHS)]
    assert counts == sorted(counts) and counts[-1] > counts[0]
    for k in (0, 6, 11):
        assert all(
            s.created_at <= month_date(k) for s in month_state(k, MONTHS).signals(BASE).shares
        )


def test_the_run_clock_dates_runs_and_real_time_is_back_afterwards() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    with run_clock(at):
        assert at <= now() < at + timedelta(minutes=1)
        assert new_run_id().startswith("2026-03-01T0000")
        with run_clock(None):  # None keeps the clock that is set
            assert now() < at + timedelta(minutes=1)
    assert now() > datetime.now(UTC) - timedelta(minutes=1)
