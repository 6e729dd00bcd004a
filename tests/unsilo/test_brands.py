"""Platforms and sources are named as their brands write themselves, in the terminal and report."""

from unsilo.brands import brand


def test_brands_spell_themselves_and_other_codes_are_capitalised() -> None:
    assert [brand(c) for c in ("youtube", "hackernews", "wayback", "bluesky_search")] == [
        "YouTube",
        "Hacker News",
        "Wayback Machine",
        "Bluesky search",
    ]
    assert brand("mastodon") == "Mastodon" and brand("lemmy") == "Lemmy"
    assert brand(None) == brand("") == "–"


def test_the_report_uses_the_same_names() -> None:
    from unsilo.reports.environment import environment

    template = environment().from_string("{{ 'youtube'|brand }} · {{ 'hackernews'|brand }}")
    assert template.render() == "YouTube · Hacker News"
