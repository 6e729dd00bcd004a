"""The trap guard's rules, on URLs and fingerprints alone (no crawl)."""

from __future__ import annotations

from unsilo.spiders.traps import TrapGuard, content_fingerprint, path_pattern

SHOP = "https://shop.example"


def test_path_patterns_blank_out_segments_with_digits() -> None:
    assert path_pattern("/calendar/2031/04") == "/calendar/*/*"
    assert path_pattern("/product/red-shoe") == "/product/red-shoe"
    assert path_pattern("/") == "/"


def test_fingerprints_ignore_digits_and_queries_but_not_what_is_linked() -> None:
    may = content_fingerprint("Events May 2031", [f"{SHOP}/calendar/2031/04?sid=a"])
    may_twin = content_fingerprint("Events May 2032", [f"{SHOP}/calendar/2032/04?sid=b"])
    assert may == may_twin
    page_2 = content_fingerprint("Shoes - page 2", [f"{SHOP}/product/red-shoe"])
    page_3 = content_fingerprint("Shoes - page 3", [f"{SHOP}/product/blue-boot"])
    assert page_2 != page_3


def test_a_session_parameter_becomes_a_trap_and_is_dropped_from_later_links() -> None:
    guard = TrapGuard(repeats=3)
    found = []
    for n in range(5):
        found += guard.observe(f"{SHOP}/shoes?sid={n}", "same")
    assert [(t.kind, t.pattern, t.urls, t.repeats) for t in found] == [("query", "sid", 4, 3)]
    assert guard.admit(f"{SHOP}/boots?sid=99&page=2") == f"{SHOP}/boots?page=2"


def test_a_path_pattern_without_new_content_is_no_longer_followed() -> None:
    guard = TrapGuard(repeats=2)
    for month in range(1, 5):
        guard.observe(f"{SHOP}/calendar/2031/{month:02d}", "an empty month")
    assert guard.trapped_paths == {"/calendar/*/*"}
    assert guard.admit(f"{SHOP}/calendar/2040/01") is None and guard.skipped == 1
    assert guard.admit(f"{SHOP}/product/7") == f"{SHOP}/product/7"


def test_families_that_bring_new_content_are_never_traps() -> None:
    guard = TrapGuard(repeats=2)
    for n in range(500):  # 500 products, 500 listing pages: each one different
        guard.observe(f"{SHOP}/product/{n}", f"product {n}")
        guard.observe(f"{SHOP}/shoes?page={n}", f"listing {n}")
    assert not guard.trapped_paths and not guard.trapped_params


def test_a_guard_with_zero_repeats_is_off() -> None:
    guard = TrapGuard(repeats=0)
    for n in range(100):
        assert guard.observe(f"{SHOP}/x?sid={n}", "same") == []
