"""The bookkeeping of one source in one run: questions, calls in flight, and how each ended.

Kept apart from the spider so the rules that make "unknown" honest are pure and tested:
a question (``SignalCheckItem``) is answered only when every call it made was answered; a
failed follow-up keeps the shares it carried and makes the question ``partial``; a source
that asked to stop (rate limit, refused token) puts no further questions, and its row in
``signal_sources`` says how far it got.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from unsilo.languages import N_
from unsilo.signals.items import SignalCheckItem, SignalSourceItem
from unsilo.signals.source import SignalFailure, SignalRequest, SignalTarget

DOWN_AFTER = 3
"""Calls in a row that find a source down (unreachable, 5xx) before it is asked no more."""


@dataclass(slots=True)
class CheckState:
    """One question's progress: calls still out, shares found, the first failure."""

    check: SignalTarget
    pending: int = 0
    requests: int = 0
    found: int = 0
    answered: int = 0  # calls that were answered
    failure: SignalFailure | None = None
    partial: list[str] = field(default_factory=list)

    def item(self, source: str, fetched_at: str | None) -> SignalCheckItem:
        """The question's row: ok, partial (some answers), or the failure's status."""
        failure = self.failure
        if failure is not None and not self.answered:
            status, reason = failure.status, failure.reason
        elif failure is not None or self.partial:
            notes = list(self.partial)
            if failure is not None:
                notes.insert(0, f"{failure.status}: {failure.reason}")
            status, reason = "partial", "; ".join(dict.fromkeys(notes))
        else:
            status, reason = "ok", None
        return SignalCheckItem(
            source=source,
            scope=self.check.scope,
            target=self.check.target,
            status=status,
            reason=reason,
            found=self.found,
            requests=self.requests,
            fetched_at=fetched_at,
        )


@dataclass(slots=True)
class SourceRun:
    """One source's run: its queue (sent ``window`` at a time), questions and totals."""

    name: str
    module: Any
    window: int = 1  # calls in flight at once
    max_requests: int = 1000  # hard cap on calls, follow-ups included
    queue: deque[SignalRequest] = field(default_factory=deque)
    checks: dict[str, CheckState] = field(default_factory=dict)
    in_flight: int = 0
    requests: int = 0
    found: int = 0
    urls_wanted: int = 0  # pages that qualified for a per-URL question
    urls_queued: int = 0  # per-URL questions put in the queue (what the URL budget counts)
    urls_asked: int = 0  # per-URL questions whose first call was sent
    urls_fresh: int = 0
    domain_fresh: bool = False  # the domain listing is still fresh from an earlier run
    stopped: SignalFailure | None = None
    capped: bool = False
    failures_in_a_row: int = 0  # calls that found the source down, since the last answer
    partial_note: str | None = None  # why the first partly answered question is partial
    checks_answered: int = 0  # questions answered in full or in part
    checks_failed: int = 0  # questions asked and not answered at all
    first_failure: tuple[str, str] | None = None  # (status, reason) of the first of those
    done: bool = False

    def ask(self, check: SignalTarget, requests: list[SignalRequest]) -> None:
        """Queue the calls of a new question (a page's counts in ``urls_queued``)."""
        if check.scope == "url" and requests and check.target not in self.checks:
            self.urls_queued += 1
        state = self.checks.setdefault(check.target, CheckState(check))
        for request in requests:
            state.pending += 1
            self.queue.append(request)

    def follow(self, requests: list[SignalRequest]) -> None:
        """Queue follow-up calls of questions already asked (first, so they finish)."""
        for request in reversed(requests):
            self.checks[request.check.target].pending += 1
            self.queue.appendleft(request)

    def next_calls(self) -> list[SignalRequest]:
        """Calls to send now: up to the window, none once stopped or over the cap."""
        calls: list[SignalRequest] = []
        while self.queue and self.in_flight < self.window and not self.stopped:
            if self.requests >= self.max_requests:
                self.capped = True
                self._drop_queue(SignalFailure("over budget", "request budget spent"))
                break
            request = self.queue.popleft()
            self.in_flight += 1
            self.requests += 1
            state = self.checks[request.check.target]
            if not state.requests and state.check.scope == "url":
                self.urls_asked += 1  # asked once a call went out, not when it was queued
            state.requests += 1
            calls.append(request)
        return calls

    def answered(self, request: SignalRequest, found: int, partial: str | None) -> None:
        state = self.checks[request.check.target]
        state.pending -= 1
        state.answered += 1
        state.found += found
        self.found += found
        self.in_flight -= 1
        self.failures_in_a_row = 0
        if partial:
            state.partial.append(partial)

    def failed(self, request: SignalRequest, failure: SignalFailure, kept: int = 0) -> None:
        """A call failed; carried shares (``kept``) still count. A stopping failure drops
        the queue: those questions stay unasked (unknown), never "none found"."""
        state = self.checks[request.check.target]
        state.pending -= 1
        state.found += kept
        self.found += kept
        self.in_flight -= 1
        if request.carry:  # a follow-up: the share is known, a detail is not
            state.answered += 1
            state.partial.append(f"{request.follow_up or 'details'} unknown: {failure.reason}")
        elif state.failure is None:
            state.failure = failure
        if failure.status == "source unavailable":
            self.failures_in_a_row += 1
            if self.failures_in_a_row >= DOWN_AFTER and not failure.stop_source:
                # a source that is down is not asked about every other page as well
                failure = SignalFailure(
                    failure.status,
                    f"{failure.reason} ({self.failures_in_a_row} calls in a row failed)",
                    stop_source=True,
                )
        if failure.stop_source and self.stopped is None:
            self.stopped = failure
            self._drop_queue(failure)

    def _drop_queue(self, failure: SignalFailure) -> None:
        for request in self.queue:
            state = self.checks[request.check.target]
            state.pending -= 1
            if state.requests:  # half asked: what it did get is kept, the rest is unknown
                state.partial.append(f"not fully asked: {failure.reason}")
        self.queue.clear()

    def finished_checks(self, fetched_at: str | None) -> list[SignalCheckItem]:
        """Rows of the questions that are over, each once; asked-never questions are
        dropped (no row: the page stays unknown for this source)."""
        rows = []
        for target, state in list(self.checks.items()):
            if state.pending == 0:
                del self.checks[target]
                if state.requests:
                    row = state.item(self.name, fetched_at)
                    if row.status in ("ok", "partial"):
                        self.checks_answered += 1
                        if row.status == "partial":
                            self.partial_note = self.partial_note or row.reason
                    else:
                        self.checks_failed += 1
                        self.first_failure = self.first_failure or (row.status, row.reason or "")
                    rows.append(row)
        return rows

    @property
    def over(self) -> bool:
        return not self.queue and self.in_flight == 0 and not self.checks

    def summary(self, fetched_at: str | None, token_hint: str | None) -> SignalSourceItem:
        """The source's row: ok, or how far it got and why it stopped."""
        status, reason = "ok", None
        notes: list[str] = []
        if self.stopped is not None:
            status, reason = self.stopped.status, self.stopped.reason
            if self.urls_wanted:
                stopped = N_("message", "stopped after {} of {} pages")
                notes.append(stopped.format(self.urls_asked, self.urls_wanted))
        elif self.first_failure is not None and not self.checks_answered:
            status, reason = self.first_failure  # nothing answered: the source is unknown
        elif self.first_failure is not None:
            status = "partial"
            asked = self.checks_failed + self.checks_answered
            failed = N_("message", "{} of {} questions failed: {}")
            notes.append(failed.format(self.checks_failed, asked, self.first_failure[1]))
        if self.partial_note and status == "ok":
            status = "partial"  # a question answered only in part: the source's answer too
            notes.append(self.partial_note)
        if self.capped:
            status = "partial" if status == "ok" else status
            dropped = self.urls_queued - self.urls_asked
            if dropped:
                spent = N_("message", "request budget of {} spent: {} pages not asked")
                notes.append(spent.format(self.max_requests, dropped))
            else:
                notes.append(N_("message", "request budget of {} spent").format(self.max_requests))
        over_budget = self.urls_wanted - self.urls_queued - self.urls_fresh
        if over_budget > 0 and self.stopped is None:
            status = "partial" if status == "ok" else status
            over = N_("message", "{} pages over the per-URL budget not asked")
            notes.append(over.format(over_budget))
        if self.requests == 0 and (self.domain_fresh or self.urls_fresh) and status == "ok":
            status = "reused"
            fresh = N_("message", "every answer still fresh from an earlier run: not asked again")
            notes.append(fresh)
        if notes:
            reason = "; ".join(x for x in (reason, *notes) if x)
        return SignalSourceItem(
            source=self.name,
            status=status,
            reason=reason,
            requests=self.requests,
            urls_asked=self.urls_asked,
            urls_fresh=self.urls_fresh,
            urls_wanted=self.urls_wanted,
            found=self.found,
            token_hint=token_hint,
            fetched_at=fetched_at,
        )
