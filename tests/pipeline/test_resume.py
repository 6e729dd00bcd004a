"""The frontier a resumed crawl is handed: given stored rows → expected frontier."""

from __future__ import annotations

from unsilo.pipeline.resume import resume_state, unaccounted
from unsilo.urls import url_key

from .conftest import SITE


def test_the_frontier_is_rebuilt_from_stored_pages_and_links_only(duck, make_run) -> None:
    run = make_run("r1")
    run.page("/")
    run.link("/", "/a")
    run.link("/", "/b#reviews")  # followed without its fragment
    run.link("/", "/kampagne")
    run.link("/", "/category")  # reached through /kampagne, but never requested itself
    run.link("/", "https://elsewhere.example/x", internal=False)
    run.page("/a", depth=1)
    run.link("/a", "/c")
    run.link("/a", "/b")
    run.page("/kampagne", final="/category", hops=[("/kampagne", 301)], depth=1)
    run.page("/gone", status=None, error="connection refused", is_html=False, depth=1)
    run.page("/missing", status=404, depth=1)
    run.link("/missing", "/never-followed")  # an error page's links are not followed
    run.sitemap("/a")
    run.load()
    other = make_run("r2")  # another run's rows never leak into this frontier
    other.page("/")
    other.link("/", "/other-run")
    other.load()

    state = resume_state(duck, "r1")

    stored = ["/", "/a", "/kampagne", "/category", "/gone", "/missing"]
    assert state.fetched == {SITE + p for p in stored}
    assert state.pending == [(SITE + "/b", 1), (SITE + "/category", 1), (SITE + "/c", 2)]
    assert state.sitemap_urls == {SITE + "/a"}
    # a failed fetch described nothing: reached again, its page must be described then
    described = ["/", "/a", "/category", "/missing"]
    assert state.described == {url_key(SITE + p) for p in described}


def test_links_beyond_the_runs_depth_limit_are_not_pending(duck, make_run) -> None:
    duck.execute(
        "insert into runs (run_id, status, settings) values ('r1', 'running', $s)",
        {"s": '{"max_depth": 1}'},
    )
    run = make_run("r1")
    run.page("/")
    run.link("/", "/a")
    run.link("/", "/b")
    run.page("/a", depth=1)
    run.link("/a", "/too-deep")  # depth 2: a complete crawl of this run never fetches it
    run.load()
    assert resume_state(duck, "r1").pending == [(SITE + "/b", 1)]


def test_links_the_runs_exclude_rules_never_follow_are_not_pending(duck, make_run) -> None:
    duck.execute(
        "insert into runs (run_id, status, settings) values ('r1', 'running', $s)",
        {"s": '{"include": [], "exclude": ["/cart", "[?&]sort="]}'},
    )
    run = make_run("r1")
    run.page("/")
    run.link("/", "/a")
    run.link("/", "/cart")
    run.link("/", "/shoes?sort=price")
    run.load()
    assert resume_state(duck, "r1").pending == [(SITE + "/a", 1)]
    assert unaccounted(duck, "r1") == "1 linked URL was never fetched"  # not 3
