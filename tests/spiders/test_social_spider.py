"""The social spider end to end: ``scrapy crawl social`` in a subprocess against local fakes.

One fake server per failure mode (Mastodon instances map to fakes by name), so one crawl
shows every failure ending as its own ``api_status`` while the healthy profiles are audited.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pytest

from tests.conftest import ROOT, run_scrapy
from unsilo.social.fake_data import OWN_MASTODON_ID
from unsilo.social.fakes import FakeSocialServer

SECRET = "tok-SECRET-7f3a9c"
TOKENS = ("UNSILO_BLUESKY_APP_PASSWORD", "UNSILO_YOUTUBE_API_KEY", "UNSILO_REDDIT_TOKEN")


class Redirects:
    """A tiny shop: ``/go/<page>`` answers 301 to ``/<page>``; every other path 200."""

    def __enter__(self) -> Redirects:
        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self) -> None:  # noqa: N802
                if self.path.startswith("/go/"):
                    self.send_response(301)
                    self.send_header("Location", "/" + self.path[len("/go/") :])
                else:
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_HEAD  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def crawl(
    db: Path, profiles: list[str] | str, endpoints: dict, *extra: str, env: dict | None = None
):
    """``scrapy crawl social``; ``profiles`` as a list (passed as JSON) or a raw ``@file``."""
    listed = profiles if isinstance(profiles, str) else json.dumps(profiles)
    args = ["-a", f"profiles={listed}", "-a", f"endpoints={json.dumps(endpoints)}"]
    settings = ["-s", f"UNSILO_DB={db}", "-s", "UNSILO_SOCIAL_DELAY=0.01", "-s", "RETRY_TIMES=0"]
    process = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "social", *args, *extra, *settings],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return process


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def failures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One crawl over a healthy fake and one fake per failure mode."""
    now = datetime.now(UTC)
    db = tmp_path_factory.mktemp("social") / "social.duckdb"
    with ExitStack() as stack:
        shop = stack.enter_context(Redirects())
        fakes = {
            name: stack.enter_context(
                FakeSocialServer(shop.url, paths=("/go/sale", "/about"), anchor=now)
            )
            for name in ("ok", "closed", "busy", "slow", "broken", "garbled", "tube")
        }
        fakes["closed"].fail("/api/v1/accounts/lookup", "401")
        fakes["busy"].fail("/api/v1/accounts/lookup", "429", retry_after="120")
        fakes["slow"].fail("/api/v1/accounts/lookup", "429", retry_after="1")
        fakes["broken"].fail("/api/v1/accounts/lookup", "500")
        fakes["garbled"].fail(f"/api/v1/accounts/{OWN_MASTODON_ID}/statuses", "malformed")
        fakes["tube"].fail("/feeds/videos.xml", "500")
        instances = {f"{n}.example": fakes[n].url for n in ("closed", "busy", "slow", "broken")}
        instances |= {"garbled.example": fakes["garbled"].url, "mastodon.social": fakes["ok"].url}
        endpoints = {
            "bluesky": fakes["ok"].url,
            "mastodon": instances,
            "youtube": fakes["tube"].url,
        }
        profiles = [
            "https://bsky.app/profile/nordlysgoods.example",
            "https://bsky.app/profile/nobody.example",
            "https://mastodon.social/@nordlysgoods",
            *(f"https://{i}/@nordlysgoods" for i in instances if i != "mastodon.social"),
            "https://www.youtube.com/@nordlysgoods",
            "https://www.instagram.com/nordlysgoods/",
            "https://x.com/nordlysgoods",
        ]
        env = dict.fromkeys(TOKENS, SECRET)
        process = crawl(db, profiles, endpoints, "-a", f"site={shop.url}", env=env)
        yield {"db": db, "process": process, "fakes": fakes, "shop": shop.url}


def _status(db: Path) -> dict[str, tuple[str, str | None]]:
    found = rows(db, "select platform, handle, api_status, status_reason from profiles")
    return {f"{p}:{h}": (s, r) for p, h, s, r in found}


def test_one_profile_row_each_with_its_status(failures: dict[str, Any]) -> None:
    status = {k: s for k, (s, _) in _status(failures["db"]).items()}
    assert status == {
        "bluesky:nordlysgoods.example": "ok",
        "bluesky:nobody.example": "not found",
        "mastodon:nordlysgoods@mastodon.social": "ok",
        "mastodon:nordlysgoods@closed.example": "instance closed",
        "mastodon:nordlysgoods@busy.example": "rate limited",
        "mastodon:nordlysgoods@slow.example": "rate limited",
        "mastodon:nordlysgoods@broken.example": "source unavailable",
        "mastodon:nordlysgoods@garbled.example": "malformed response",
        "youtube:nordlysgoods": "source unavailable",
        "instagram:nordlysgoods": "not auditable without API access",
        "x:nordlysgoods": "not auditable without API access",
    }


def test_failed_profiles_keep_unknown_counts_and_reasons(failures: dict[str, Any]) -> None:
    found = rows(
        failures["db"],
        "select api_status, status_reason, followers from profiles where api_status <> 'ok' "
        "and handle <> 'nordlysgoods@garbled.example'",
    )
    assert found and all(reason and followers is None for _, reason, followers in found)
    garbled = _status(failures["db"])["mastodon:nordlysgoods@garbled.example"]
    assert garbled[1].startswith("posts: ")  # account read, statuses unreadable


def test_retry_after_short_is_retried_once_long_is_not(failures: dict[str, Any]) -> None:
    lookups = {
        name: sum("/accounts/lookup" in r for r in failures["fakes"][name].requests)
        for name in ("slow", "busy")
    }
    assert lookups == {"slow": 2, "busy": 1}


def test_healthy_profiles_store_posts_with_links_and_promo(failures: dict[str, Any]) -> None:
    db = failures["db"]
    counts = dict(rows(db, "select platform, count(*) from posts group by 1"))
    assert counts == {"bluesky": 24, "mastodon": 24}
    promo = rows(db, "select count(*) filter (where promotional), count(promotional) from posts")
    assert promo[0][1] == 48 and 0 < promo[0][0] < 48


def test_short_links_resolve_through_local_redirect(failures: dict[str, Any]) -> None:
    shop = failures["shop"]
    found = set(
        rows(
            failures["db"],
            "select url, resolved_url, resolved_url_key, domain, resolved_domain from post_links",
        )
    )
    host = urlsplit(shop).hostname
    assert (f"{shop}/go/sale", f"{shop}/sale", f"{shop}/sale", host, host) in found
    assert (f"{shop}/about", f"{shop}/about", f"{shop}/about", host, host) in found


def test_unauditable_rows_name_the_reason(failures: dict[str, Any]) -> None:
    reason = _status(failures["db"])["x:nordlysgoods"][1]
    assert "X (Twitter)" in reason


def test_tokens_never_reach_db_or_logs(failures: dict[str, Any]) -> None:
    assert SECRET.encode() not in failures["db"].read_bytes()
    wal = failures["db"].with_suffix(".duckdb.wal")
    assert not wal.exists() or SECRET.encode() not in wal.read_bytes()
    assert SECRET not in failures["process"].stderr + failures["process"].stdout


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with FakeSocialServer("https://shop.example", post_count=120, anchor=datetime.now(UTC)) as f:
        yield {"fake": f, "folder": tmp_path_factory.mktemp("history")}


def _feed_requests(fake: FakeSocialServer) -> dict[str, int]:
    return {
        "bluesky": sum("getAuthorFeed" in r for r in fake.requests),
        "mastodon": sum("/statuses" in r for r in fake.requests),
    }


def test_window_stops_pagination(long_history: dict[str, Any]) -> None:
    fake, db = long_history["fake"], long_history["folder"] / "window.duckdb"
    fake.requests.clear()
    profiles = ["https://bsky.app/profile/nordlysgoods.example", "https://mastodon.social/@x"]
    profiles[1] = "https://mastodon.social/@nordlysgoods"
    crawl(db, profiles, {"local": fake.url}, "-s", "UNSILO_SOCIAL_WINDOW_DAYS=10")
    assert _feed_requests(fake) == {"bluesky": 1, "mastodon": 1}
    dates = [datetime.fromisoformat(r[0]) for r in rows(db, "select created_at from posts")]
    assert min(dates) >= datetime.now(UTC) - timedelta(days=10, minutes=5)
    assert rows(db, "select count(*) from posts")[0][0] == 2 * 5


def test_cap_stops_pagination(long_history: dict[str, Any]) -> None:
    fake, db = long_history["fake"], long_history["folder"] / "cap.duckdb"
    fake.requests.clear()
    profiles = ["https://bsky.app/profile/nordlysgoods.example"]
    profiles.append("https://mastodon.social/@nordlysgoods")
    limits = ["-s", "UNSILO_SOCIAL_WINDOW_DAYS=3650", "-s", "UNSILO_SOCIAL_MAX_POSTS=45"]
    crawl(db, profiles, {"local": fake.url}, *limits)
    assert dict(rows(db, "select platform, count(*) from posts group by 1")) == {
        "bluesky": 45,
        "mastodon": 45,
    }
    assert _feed_requests(fake) == {"bluesky": 1, "mastodon": 2}


def test_youtube_feed_gives_videos(long_history: dict[str, Any]) -> None:
    fake, db = long_history["fake"], long_history["folder"] / "yt.duckdb"
    crawl(db, ["https://www.youtube.com/@nordlysgoods"], {"local": fake.url})
    (status, reason, videos) = rows(
        db, "select api_status, status_reason, (select count(*) from posts) from profiles"
    )[0]
    assert (status, videos) == ("ok", 15)
    assert "latest 15 videos" in reason


def test_profiles_from_a_file(long_history: dict[str, Any]) -> None:
    fake, folder = long_history["fake"], long_history["folder"]
    listed = folder / "profiles.json"
    profiles = ["https://bsky.app/profile/nordlysgoods.example", "https://x.com/nordlysgoods"]
    listed.write_text(json.dumps(profiles), encoding="utf-8")
    db = folder / "file.duckdb"
    crawl(db, f"@{listed}", {"local": fake.url})
    assert {k: s for k, (s, _) in _status(db).items()} == {
        "bluesky:nordlysgoods.example": "ok",
        "x:nordlysgoods": "not auditable without API access",
    }


@pytest.mark.parametrize("mode", [None, "404", "malformed"])
def test_pinterest_widget_is_best_effort(tmp_path: Path, mode: str | None) -> None:
    """The widget adds the follower count; when it fails, the RSS posts still count and the
    count stays unknown (never 0), with the reason in the profile's note."""
    with FakeSocialServer("https://shop.example", anchor=datetime.now(UTC)) as fake:
        fake.fail("/v3/pidgets/", mode)
        db = tmp_path / "pinterest.duckdb"
        crawl(db, ["https://www.pinterest.com/nordlysgoods/"], {"local": fake.url})
        widget_calls = sum("/v3/pidgets/users/nordlysgoods/pins/" in r for r in fake.requests)
    (status, reason, followers, pins), posts = (
        rows(db, "select api_status, status_reason, followers, posts_count from profiles")[0],
        rows(db, "select count(*) from posts")[0][0],
    )
    assert (status, posts, widget_calls) == ("ok", 12, 1)
    if mode is None:
        assert (followers, pins) == (876, 24)
        assert "widget JSON" in reason
    else:
        assert (followers, pins) == (None, None)
        assert reason.startswith("from the public RSS feed: recent posts only, no follower counts")
        assert "; follower count unknown: " in reason


def test_a_missing_profiles_file_is_one_line_and_the_runs_reason(tmp_path: Path) -> None:
    """No traceback: the spider closes before any request, and the run row says why."""
    missing, db = tmp_path / "profiles.json", tmp_path / "social.duckdb"
    process = run_scrapy(
        "crawl", "social", "-a", f"profiles=@{missing}", "-s", f"UNSILO_DB={db}", timeout=60
    )
    assert process.returncode == 0 and "Traceback" not in process.stderr
    message = f"-a profiles=@{missing}: cannot read the file (No such file or directory)"
    errors = [line for line in process.stderr.splitlines() if " ERROR: " in line]
    assert [line.split(" ERROR: ", 1)[1] for line in errors] == [f"bad argument: {message}"]
    assert rows(db, "select status, reason from runs") == [
        ("failed", f"nothing asked: bad argument: {message}")
    ]
    assert rows(db, "select count(*) from profiles") == [(0,)]
