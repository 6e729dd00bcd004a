"""A local fake of the public social APIs (Bluesky, Mastodon, YouTube, Pinterest) for tests
and demos.

It answers on the real paths with the real shapes (``fake_data``), on 127.0.0.1 and a
free port, and can be told to fail per path the way the real services do::

    with FakeSocialServer("http://127.0.0.1:8000") as fake:
        fake.fail("/api/v1/accounts/lookup", "401")   # instance closed to anonymous API use
        endpoints = fake.endpoints                      # Endpoints pointing at the fake
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape

from unsilo.loopback import JSON_TYPE, Answer, LoopbackFake, json_answer
from unsilo.social import fake_data as data
from unsilo.social.endpoints import Endpoints

FAILURE_MODES = ("401", "403", "404", "429", "500", "503", "malformed")


class FakeSocialServer(LoopbackFake):
    """Context manager: a threaded HTTP server of the fake social APIs on 127.0.0.1:0."""

    FAILURE_MODES = FAILURE_MODES

    def __init__(self, shop_base: str = "http://127.0.0.1", **social: Any) -> None:
        super().__init__()
        self.social = data.FakeSocial(shop_base=shop_base, **social)
        self._routes: dict[str, Callable[[dict[str, str]], Answer]] = {
            "/xrpc/com.atproto.identity.resolveHandle": self._resolve_handle,
            "/xrpc/app.bsky.actor.getProfile": self._bluesky_profile,
            "/xrpc/app.bsky.feed.getAuthorFeed": self._bluesky_feed,
            "/api/v1/accounts/lookup": self._mastodon_lookup,
            f"/api/v1/accounts/{data.OWN_MASTODON_ID}/statuses": self._mastodon_statuses,
            f"/@{self.social.youtube_handle}": self._youtube_page,
            "/feeds/videos.xml": self._youtube_feed,
            f"/{self.social.pinterest_user}/feed.rss": self._pinterest_feed,
            f"/v3/pidgets/users/{self.social.pinterest_user}/pins/": self._pinterest_widget,
        }

    @property
    def endpoints(self) -> Endpoints:
        return Endpoints.local(self.url)

    def __enter__(self) -> FakeSocialServer:
        return super().__enter__()

    def answer(self, raw_path: str, headers: dict[str, str], body: bytes = b"") -> Answer:
        """The response to a GET of ``raw_path`` (path and query)."""
        parts = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        failure = self.logged_failure(raw_path)
        if failure is not None:
            return _failure(parts.path, *failure)
        route = self._routes.get(parts.path)
        if route is None:
            return json_answer(404, {"error": "NotFound", "message": "no such endpoint"})
        return route(query)

    def _resolve_handle(self, query: dict[str, str]) -> Answer:
        if query.get("handle") != self.social.bluesky_handle:
            return json_answer(
                400, {"error": "InvalidRequest", "message": "Unable to resolve handle"}
            )
        return json_answer(200, {"did": data.OWN_DID})

    def _known_actor(self, query: dict[str, str]) -> bool:
        return query.get("actor") in (self.social.bluesky_handle, data.OWN_DID)

    def _bluesky_profile(self, query: dict[str, str]) -> Answer:
        if not self._known_actor(query):
            return json_answer(400, {"error": "InvalidRequest", "message": "Profile not found"})
        return json_answer(200, data.bluesky_profile(self.social))

    def _bluesky_feed(self, query: dict[str, str]) -> Answer:
        if not self._known_actor(query):
            return json_answer(400, {"error": "InvalidRequest", "message": "Profile not found"})
        start, limit = _int(query.get("cursor"), 0), _int(query.get("limit"), 50)
        posts = self.social.posts()[start : start + limit]
        body: dict[str, Any] = {"feed": [data.bluesky_feed_item(self.social, p) for p in posts]}
        if start + limit < self.social.post_count:
            body["cursor"] = str(start + limit)  # opaque to clients, like the real one
        return json_answer(200, body)

    def _mastodon_lookup(self, query: dict[str, str]) -> Answer:
        acct = query.get("acct", "").lstrip("@").split("@")[0]
        if acct != self.social.mastodon_username:
            return json_answer(404, {"error": "Record not found"})
        return json_answer(200, data.mastodon_account(self.social))

    def _mastodon_statuses(self, query: dict[str, str]) -> Answer:
        """Newest first; ``max_id`` pages back, announced by a ``Link: rel="next"`` header."""
        limit = _int(query.get("limit"), 20)
        statuses = [data.mastodon_status(self.social, p) for p in self.social.posts()]
        if "max_id" in query:
            statuses = [s for s in statuses if int(s["id"]) < _int(query["max_id"], 0)]
        page, more = statuses[:limit], len(statuses) > limit
        headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299"}
        if more:
            path = f"{self.url}/api/v1/accounts/{data.OWN_MASTODON_ID}/statuses"
            next_url = f"{path}?{urlencode({'limit': limit, 'max_id': page[-1]['id']})}"
            headers["Link"] = f'<{next_url}>; rel="next"'
        return json_answer(200, page, headers)

    def _youtube_page(self, query: dict[str, str]) -> Answer:
        body = data.youtube_channel_page(self.social).encode()
        return 200, {"Content-Type": "text/html; charset=utf-8"}, body

    def _youtube_feed(self, query: dict[str, str]) -> Answer:
        if query.get("channel_id") != self.social.youtube_channel_id:
            return 404, {"Content-Type": "text/html"}, b"<html>Not Found</html>"
        body = data.youtube_feed(self.social).encode()
        return 200, {"Content-Type": "text/xml; charset=UTF-8"}, body

    def _pinterest_feed(self, query: dict[str, str]) -> Answer:
        """The profile's pin feed (RSS 2.0, the shape of ``samples/pinterest-feed.rss``)."""
        items = []
        for post in self.social.posts()[:12]:
            pin = f"https://www.pinterest.com/pin/{9100000000 + post.index}/"
            description = escape(
                f'<a href="/pin/{9100000000 + post.index}/"><img src="https://i.pinimg.com/'
                f'236x/aa/bb/cc/pin{post.index}.jpg"></a>{post.text} {post.link}'
            )
            items.append(
                f"<item><title>{escape(post.text[:60])}</title><link>{pin}</link>"
                f"<description>{description}</description>"
                f"<pubDate>{format_datetime(post.created_at)}</pubDate><guid>{pin}</guid></item>"
            )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{self.social.pinterest_user}</title>"
            f"<link>https://www.pinterest.com/{self.social.pinterest_user}/</link>"
            f"{''.join(items)}</channel></rss>"
        )
        return 200, {"Content-Type": "application/rss+xml; charset=utf-8"}, body.encode()

    def _pinterest_widget(self, query: dict[str, str]) -> Answer:
        """The profile's widget JSON (``samples/pinterest-pidgets-user-pins.json``'s shape)."""
        return json_answer(200, data.pinterest_widget(self.social))


def _failure(path: str, mode: str, retry_after: str) -> Answer:
    """The failure as the real services send it (status, headers, body)."""
    if mode == "malformed":
        is_xml = path.endswith(".xml")
        body = b"<feed><entry><title>cut" if is_xml else b'{"feed": [{"post": '
        return 200, {"Content-Type": "text/xml" if is_xml else JSON_TYPE}, body
    status = int(mode)
    headers = {"Retry-After": retry_after} if status == 429 else {}
    message = {401: "This method requires an authenticated user", 429: "Rate Limit Exceeded"}
    return json_answer(status, {"error": message.get(status, f"HTTP {status}")}, headers)


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default
