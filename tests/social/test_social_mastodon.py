"""Mastodon adapter over the Account / Status samples, and Link-header paging."""

from __future__ import annotations

import json

import pytest

from unsilo.social.errors import MalformedResponse
from unsilo.social.mastodon import (
    account_from_json,
    html_links,
    next_page_url,
    statuses_from_json,
)


@pytest.fixture
def statuses(sample) -> list:
    return json.loads(sample("mastodon-statuses.json"))


def test_account_matches_expected(sample, expected) -> None:
    expected("mastodon-account.json", account_from_json(sample("mastodon-account.json")))


def test_statuses_match_expected(sample, expected) -> None:
    output = statuses_from_json(sample("mastodon-statuses.json"), "Gargron@mastodon.social")
    expected("mastodon-statuses.json", output)


def test_verified_at_marks_rel_me_proof(sample) -> None:
    account = account_from_json(sample("mastodon-account.json"))
    assert account.verified_links == ["http://shork.xyz"]
    assert account.website == "http://shork.xyz"
    assert "https://cybre.space/@noiob" not in account.links_in_bio  # a mention
    assert account.handle == "noiob@awoo.space"


def test_local_acct_gets_instance(statuses) -> None:
    account = statuses[0]["account"]
    assert account_from_json(account).handle == "Gargron@mastodon.social"
    assert account_from_json(account, instance="m.example").handle == "Gargron@m.example"
    assert account_from_json(account).verified_links == ["https://zeonfederated.com"]


def test_reply_to_other_vs_self_thread_vs_reblog(statuses) -> None:
    reply, broadcast = statuses
    own = dict(reply, in_reply_to_account_id="1")
    reblog = dict(broadcast, id="9", reblog=dict(broadcast), content="", card=None)
    posts, _ = statuses_from_json([reply, broadcast, own, reblog], "Gargron@mastodon.social")
    assert [p.kind for p in posts] == ["reply", "post", "self-thread", "repost"]
    assert [p.is_reply_to_other for p in posts] == [True, False, False, False]
    assert posts[3].links == posts[1].links  # a reblog links what the original links
    assert posts[3].post_id == "9"


def test_mentions_and_hashtags_are_not_links(statuses, sample) -> None:
    posts, links = statuses_from_json(statuses, "Gargron@mastodon.social")
    assert posts[0].links == ["https://joinmastodon.org/servers"]
    assert all("awoo.space" not in r.url for r in links)
    note = json.loads(sample("mastodon-account.json"))["note"]
    assert html_links(note) == []  # only hashtags and a mention
    assert html_links('<a href="https://x.example/t" rel="tag">#t</a>') == []


def test_truncated_display_keeps_full_href(statuses) -> None:
    posts, links = statuses_from_json(statuses, "Gargron@mastodon.social")
    full = statuses[1]["card"]["url"]
    assert posts[1].links == [full]
    assert sorted(r.source for r in links if r.post_id == posts[1].post_id) == ["card", "content"]
    assert "theguardian.com/money/2019/dec/07/" in posts[1].text


def test_counts(statuses) -> None:
    posts, _ = statuses_from_json(statuses, "Gargron@mastodon.social")
    assert (posts[1].likes, posts[1].reposts, posts[1].replies, posts[1].quotes) == (11, 6, 5, 2)


def test_link_header_from_sample(sample) -> None:
    headers = sample("mastodon-statuses.headers.txt").decode()
    link = next(line for line in headers.splitlines() if line.lower().startswith("link:"))
    assert next_page_url(link.split(":", 1)[1]) == (
        "https://mastodon.social/api/v1/accounts/1/statuses"
        "?exclude_reblogs=true&limit=2&max_id=103270115826048975"
    )


@pytest.mark.parametrize(
    ("header", "url"),
    [
        ('<https://m.example/a?min_id=5>; rel="prev"', None),
        ("<https://m.example/a?max_id=1>; rel=next", "https://m.example/a?max_id=1"),
        ('<https://m.example/b>; title="x, y"; rel="prev next"', "https://m.example/b"),
        ('<javascript:alert(1)>; rel="next"', None),
        ("", None),
        (None, None),
        ("garbage; rel=next", None),
        (b'<https://m.example/c>; rel="next"', "https://m.example/c"),
        ('<https://m.example/d>; title="rel=next"; rel="prev"', None),
    ],
)
def test_next_page_url(header, url) -> None:
    assert next_page_url(header) == url


@pytest.mark.parametrize("body", [b"not json", b'{"id": "1"}', b"3"])
def test_malformed_statuses_raise(body) -> None:
    with pytest.raises(MalformedResponse):
        statuses_from_json(body, "x@y")


def test_account_without_acct_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        account_from_json(b'{"id": "1"}')
