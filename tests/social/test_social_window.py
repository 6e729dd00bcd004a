"""The post window and cap: which posts of a page are kept, and whether paging goes on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from unsilo.social.items import PostItem
from unsilo.social.window import PostWindow

NOW = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)
WINDOW = PostWindow(NOW - timedelta(days=10), max_posts=5)


def posts(*days_ago: int | None) -> list[PostItem]:
    return [
        PostItem(
            platform="bluesky",
            handle="h",
            post_id=f"p{n}",
            url=None,
            created_at=None if ago is None else (NOW - timedelta(days=ago)).isoformat(),
            text="",
            kind="post",
        )
        for n, ago in enumerate(days_ago)
    ]


def ids(kept: list[PostItem]) -> list[str]:
    return [p.post_id for p in kept]


def test_a_page_inside_the_window_is_kept_and_paging_goes_on() -> None:
    kept, more = WINDOW.keep(posts(1, 2, 3), kept_before=0)
    assert (ids(kept), more) == (["p0", "p1", "p2"], True)


def test_an_old_post_ends_paging_but_a_pinned_one_on_top_does_not() -> None:
    kept, more = WINDOW.keep(posts(1, 30, 2), kept_before=0)
    assert (ids(kept), more) == (["p0", "p2"], False)
    kept, more = WINDOW.keep(posts(400, 1, 2), kept_before=0)
    assert (ids(kept), more) == (["p1", "p2"], True)  # pinned: newer posts follow
    kept, more = WINDOW.keep(posts(400, 1), kept_before=2)
    assert (ids(kept), more) == (["p1"], False)  # only the first page has a pinned post


def test_the_cap_counts_posts_kept_on_earlier_pages() -> None:
    kept, more = WINDOW.keep(posts(1, 2, 3), kept_before=3)
    assert (ids(kept), more) == (["p0", "p1"], False)
    assert WINDOW.keep(posts(1), kept_before=5) == ([], False)


def test_undated_and_junk_dates_are_kept_and_an_empty_page_stops() -> None:
    page = posts(None, 1)
    page[1].created_at = "yesterday"
    assert ids(WINDOW.keep(page, kept_before=0)[0]) == ["p0", "p1"]
    assert WINDOW.keep([], kept_before=0) == ([], False)


def test_limits_come_from_settings_never_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("UNSILO_SOCIAL_WINDOW_DAYS", "7")  # the environment carries tokens only
    window = PostWindow.from_settings({"UNSILO_SOCIAL_MAX_POSTS": "45"}.get, now=NOW)
    assert (window.start, window.max_posts) == (NOW - timedelta(days=90), 45)
    window = PostWindow.from_settings({"UNSILO_SOCIAL_WINDOW_DAYS": 7}.get, now=NOW)
    assert (window.start, window.max_posts) == (NOW - timedelta(days=7), 200)


@pytest.mark.parametrize(("value", "message"), [("ten", "a whole number"), ("0", "at least 1")])
def test_bad_limits_say_what_to_change(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"UNSILO_SOCIAL_MAX_POSTS must be {message}"):
        PostWindow.from_settings({"UNSILO_SOCIAL_MAX_POSTS": value}.get)
