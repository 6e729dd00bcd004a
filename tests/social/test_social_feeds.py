"""RSS-based adapters (Pinterest, Tumblr), the Pinterest widget profile, and feed cadence."""

from __future__ import annotations

import pytest

from unsilo.social.errors import MalformedResponse
from unsilo.social.feeds import cadence_days, rfc822_to_iso, rss_entries
from unsilo.social.pinterest import pins_from_rss, profile_from_pidgets
from unsilo.social.tumblr import posts_from_rss


def test_pinterest_rss_matches_expected(sample, expected) -> None:
    expected("pinterest-feed.rss", pins_from_rss(sample("pinterest-feed.rss"), "examplegoods"))


def test_pinterest_pidgets_match_expected(sample, expected) -> None:
    body = sample("pinterest-pidgets-user-pins.json")
    expected("pinterest-pidgets-user-pins.json", profile_from_pidgets(body, "examplegoods"))


def test_tumblr_rss_matches_expected(sample, expected) -> None:
    expected("tumblr-rss.xml", posts_from_rss(sample("tumblr-rss.xml"), "examplegoods"))


def test_pinterest_rss_has_dates_text_and_no_pin_self_links(sample) -> None:
    posts, links = pins_from_rss(sample("pinterest-feed.rss"), "examplegoods")
    assert [p.created_at for p in posts] == [
        "2026-08-18T09:12:44+00:00",
        "2026-08-07T17:40:02+00:00",
    ]
    assert posts[1].text == "Werkstatt & Brennofen"  # double-escaped entity decoded once each
    assert links == []  # /pin/… links point back at Pinterest, not at the shop


def test_pinterest_rss_description_links_to_shop() -> None:
    rss = (
        "<rss><channel><item><title>t</title><link>https://www.pinterest.com/pin/1/</link>"
        "<description>&lt;a href=&quot;https://shop.example/p/1&quot;&gt;x&lt;/a&gt;"
        " mehr auf examplegoods.com/becher</description><guid>g1</guid></item></channel></rss>"
    )
    _, links = pins_from_rss(rss, "examplegoods")
    assert [(r.url, r.source) for r in links] == [
        ("https://shop.example/p/1", "content"),
        ("https://examplegoods.com/becher", "description"),
    ]


def test_pidgets_profile_counts(sample) -> None:
    profile = profile_from_pidgets(sample("pinterest-pidgets-user-pins.json"), "examplegoods")
    assert (profile.followers, profile.posts_count, profile.following) == (2318, 764, None)
    with pytest.raises(MalformedResponse):
        profile_from_pidgets(b'{"status": "failure"}', "examplegoods")


def test_tumblr_reblog_and_unsafe_links(sample) -> None:
    posts, links = posts_from_rss(sample("tumblr-rss.xml"), "examplegoods")
    assert [p.kind for p in posts] == ["post", "repost"]
    assert all(r.url.startswith("https://") for r in links)
    assert posts[1].links == []  # the reblog source and a javascript: link are not links


def test_cadence_is_median_gap_in_days() -> None:
    stamps = ["2026-08-01T00:00:00Z", "2026-08-03T00:00:00+00:00", "2026-08-04T00:00:00Z"]
    assert cadence_days(stamps + ["2026-08-24T00:00:00Z"]) == 2.0
    assert cadence_days(["2026-08-01T00:00:00Z", None, "junk"]) is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("Tue, 18 Aug 2026 09:12:44 GMT", "2026-08-18T09:12:44+00:00"),
        ("Wed, 19 Aug 2026 10:00:12 +0200", "2026-08-19T08:00:12+00:00"),
        ("yesterday", None),
        (None, None),
    ],
)
def test_rfc822_dates(value, iso) -> None:
    assert rfc822_to_iso(value) == iso


@pytest.mark.parametrize("body", [b"<rss><channel>", b"<feed/>", b"{}"])
def test_broken_rss_is_malformed(body) -> None:
    with pytest.raises(MalformedResponse):
        rss_entries(body)


def test_billion_laughs_is_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<rss><channel><item><title>&c;</title><guid>g</guid></item></channel></rss>"
    )
    try:
        entries = rss_entries(bomb)
    except MalformedResponse:
        return  # refusing is fine too
    assert len(entries[0].title) < 100
