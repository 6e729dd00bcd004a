"""Fake routes of the archive sources: the Wayback Machine's CDX server."""

from __future__ import annotations

from unsilo.signals.fakes.data import FakeSignals
from unsilo.signals.fakes.server import Answer, FakeCall, Route, json_answer


def routes(data: FakeSignals) -> dict[str, Route]:
    def cdx(call: FakeCall) -> Answer:
        """Earliest capture per URL under the domain, paged by ``resumeKey`` (an offset)."""
        rows = [
            [when.strftime("%Y%m%d%H%M%S"), data.shop_base.rstrip("/") + path, "200"]
            for path, when in sorted(data.captures.items())
        ]
        start = int(call.query.get("resumeKey") or 0)
        limit = int(call.query.get("limit") or 10_000)
        page = rows[start : start + limit]
        body: list[list[str]] = [["timestamp", "original", "statuscode"], *page] if page else []
        if start + limit < len(rows) and call.query.get("showResumeKey") == "true":
            body += [[], [str(start + limit)]]
        return json_answer(200, body)

    return {"/cdx/search/cdx": cdx}
