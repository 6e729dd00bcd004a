"""Fake routes of the citation and count sources: Wikipedia, Pinterest, Facebook.

Each answers in its sample's shape and with the real service's matching rules, traps
included: Wikipedia's ``exturlusage`` (``euquery`` host exact unless ``*.``, path a
prefix, http and https when ``euprotocol`` is empty, the namespace filter applied after
the limit as in miser mode, a 403 for a missing or library User-Agent), Pinterest's exact
URL string, and the Graph's error envelopes (no token: code 104; ``EXPIRED_TOKEN``: 190).

Wikipedia shares are ``FakeShare(source="wikipedia", item_id=<pageid>, title=<article>,
extra=(("language", "da"), ("ns", "0")))``; counts are ``FakeSignals.counts[url]`` with
the keys of ``COUNT_KEYS``, looked up by the URL exactly as asked.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from unsilo.signals.facebook import GRAPH_VERSION
from unsilo.signals.fakes.data import FakeShare, FakeSignals
from unsilo.signals.fakes.server import Answer, FakeCall, Route, json_answer

# FakeSignals.counts[url] keys: Pinterest saves and the Graph's engagement fields
COUNT_KEYS = (
    "pinterest",
    "facebook_reactions",
    "facebook_comments",
    "facebook_shares",
    "facebook_comment_plugin",
)
EXPIRED_TOKEN = "expired-token"  # the Graph answers this bearer with error 190
UA_REFUSAL = (
    b"Please set a user-agent and respect our robot policy https://w.wiki/4wJS. "
    b"See also https://phabricator.wikimedia.org/T400119.\n"
)


def routes(data: FakeSignals) -> dict[str, Route]:
    return {
        "/w/api.php": lambda call: _exturlusage(data, call),
        "/v1/urls/count.json": lambda call: _pinterest_count(data, call),
        f"/{GRAPH_VERSION}/": lambda call: _graph_url(data, call),
    }


def _exturlusage(data: FakeSignals, call: FakeCall) -> Answer:
    agent = call.headers.get("user-agent", "")
    if not agent or agent.lower().startswith(("python-urllib", "python-requests")):
        return 403, {"Content-Type": "text/plain"}, UA_REFUSAL
    if call.query.get("list") != "exturlusage":
        return json_answer(200, _api_error("badvalue", "Unrecognized value for list."))
    language = call.prefix.rsplit("/", 1)[-1] or "en"
    matches = [
        s
        for s in data.of("wikipedia")
        if s.get("language", "en") == language
        and _link_matches(s.url, call.query.get("euquery", ""), call.query.get("euprotocol", ""))
    ]
    matches.sort(key=lambda s: (_reversed_index(s.url), s.item_id))
    limit = min(int(call.query.get("eulimit") or 10), 500)
    start = int((call.query.get("eucontinue") or "|0").rsplit("|", 1)[-1])
    page = matches[start : start + limit]
    wanted = call.query.get("eunamespace")
    if wanted:  # miser mode: filtered after the limit, so a page may come back short
        spaces = set(wanted.split("|"))
        page = [s for s in page if s.get("ns", "0") in spaces]
    body: dict[str, object] = {"batchcomplete": True}
    if start + limit < len(matches):
        body["continue"] = {
            "eucontinue": f"{_reversed_index(matches[start + limit].url)}|{start + limit}",
            "continue": "-||",
        }
    body["query"] = {"exturlusage": [_link(s) for s in page]}
    return json_answer(200, body)


def _link(share: FakeShare) -> dict[str, object]:
    return {
        "pageid": int(share.item_id),
        "ns": int(share.get("ns", "0")),
        "title": share.title,
        "url": share.url,
    }


def _link_matches(url: str, query: str, protocol: str) -> bool:
    """Special:LinkSearch rules: ``*.host`` is the host and its subdomains, a bare host
    only itself; what follows the host is a path prefix; no protocol means http(s)."""
    parts = urlsplit(url if "://" in url else f"https:{url}")
    if protocol and parts.scheme != protocol or parts.scheme not in ("http", "https"):
        return False
    host_part, _, path = query.partition("/")
    host = (parts.hostname or "").lower()
    if host_part.startswith("*."):
        wanted = host_part[2:].lower()
        if host != wanted and not host.endswith(f".{wanted}"):
            return False
    elif host != host_part.lower():
        return False
    return (parts.path or "/").startswith(f"/{path}")


def _reversed_index(url: str) -> str:
    """The order of ``el_index_60``: reversed host labels, then the path."""
    parts = urlsplit(url if "://" in url else f"https:{url}")
    host = ".".join(reversed((parts.hostname or "").split(".")))
    return f"{parts.scheme}://{host}.{parts.path}"


def _api_error(code: str, info: str) -> dict[str, object]:
    return {"error": {"code": code, "info": info, "docref": "See https://…/w/api.php"}}


def _pinterest_count(data: FakeSignals, call: FakeCall) -> Answer:
    url = call.query.get("url")
    if not url:
        return json_answer(400, {"status": "failure", "message": "url is required"})
    count = data.counts.get(url, {}).get("pinterest", 0)
    callback = call.query.get("callback", "receiveCount")
    payload = f'{callback}({{"url":"{url}","count":{count}}})'.encode()
    return 200, {"Content-Type": "application/javascript; charset=utf-8"}, payload


def _graph_url(data: FakeSignals, call: FakeCall) -> Answer:
    auth = call.headers.get("authorization", "")
    token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
    token = token or call.query.get("access_token", "")
    if not token:
        return json_answer(
            400, _graph_error(104, "An access token is required to request this resource.")
        )
    if token == EXPIRED_TOKEN:
        message = "Error validating access token: Session has expired on Sunday, 01-Nov-26."
        return json_answer(400, _graph_error(190, message))
    url = call.query.get("id")
    if not url:
        return json_answer(400, _graph_error(100, "The parameter id is required"))
    body: dict[str, object] = {"id": url}
    if "engagement" in call.query.get("fields", "").split(","):
        counts = data.counts.get(url, {})
        body = {
            "engagement": {
                "reaction_count": counts.get("facebook_reactions", 0),
                "comment_count": counts.get("facebook_comments", 0),
                "share_count": counts.get("facebook_shares", 0),
                "comment_plugin_count": counts.get("facebook_comment_plugin", 0),
            },
            "id": url,
        }
    return json_answer(200, body)


def _graph_error(code: int, message: str) -> dict[str, object]:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": "AbCdEfGhIjKlMnOpQrStUvW",
        }
    }
