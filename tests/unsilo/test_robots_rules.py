"""robots.txt decisions against Google's published specification examples.

Cases come from RFC 9309 (section 5) and Google's "How Google interprets the robots.txt
specification" page (URL matching table, order of precedence, user-agent groups), plus the
edge cases of Google's open-source matcher's own test suite that other Python parsers get
wrong (``//`` in paths, percent-encoding, ``$`` mid-pattern, group selection by prefix).
"""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from unsilo.robots_rules import GoogleRobotParser, GoogleRobotsTxt, parse_lines, path_params_query


def allowed(robots: str, url: str, agent: str = "FooBot") -> bool:
    return GoogleRobotsTxt(robots).allowed(url, agent)


# Google's URL matching table: pattern → (paths that match, paths that do not)
MATCHING = [
    ("/", ["/", "/anything"], []),
    ("/*", ["/", "/anything"], []),
    ("/$", ["/"], ["/anything"]),
    (
        "/fish",
        [
            "/fish",
            "/fish.html",
            "/fish/salmon.html",
            "/fishheads",
            "/fishheads/yummy.html",
            "/fish.php?id=anything",
        ],
        ["/Fish.asp", "/catfish", "/?id=fish", "/desert/fish"],
    ),
    (
        "/fish*",
        [
            "/fish",
            "/fish.html",
            "/fish/salmon.html",
            "/fishheads",
            "/fishheads/yummy.html",
            "/fish.php?id=anything",
        ],
        ["/Fish.asp", "/catfish", "/?id=fish", "/desert/fish"],
    ),
    (
        "/fish/",
        ["/fish/", "/fish/?id=anything", "/fish/salmon.htm"],
        ["/fish", "/fish.html", "/animals/fish/", "/Fish/Salmon.asp"],
    ),
    (
        "/*.php",
        [
            "/index.php",
            "/filename.php",
            "/folder/filename.php",
            "/folder/filename.php?parameters",
            "/folder/any.php.file.html",
            "/filename.php/",
        ],
        ["/", "/windows.PHP"],
    ),
    (
        "/*.php$",
        ["/filename.php", "/folder/filename.php"],
        ["/filename.php?parameters", "/filename.php/", "/filename.php5", "/windows.PHP"],
    ),
    (
        "/fish*.php",
        ["/fish.php", "/fishheads/catfish.php?parameters"],
        ["/Fish.PHP"],
    ),
]


@pytest.mark.parametrize(("pattern", "matching", "other"), MATCHING)
def test_google_url_matching_table(pattern: str, matching: list[str], other: list[str]) -> None:
    robots = f"user-agent: *\ndisallow: {pattern}\n"
    for path in matching:
        assert not allowed(robots, f"https://example.com{path}"), (pattern, path)
    for path in other:
        assert allowed(robots, f"https://example.com{path}"), (pattern, path)


# Google's "order of precedence for rules" table (the same cases as RFC 9309 section 2.2.2)
PRECEDENCE = [
    ("https://example.com/page", "allow: /p\ndisallow: /", True),
    ("https://example.com/folder/page", "allow: /folder\ndisallow: /folder", True),
    ("https://example.com/page.htm", "allow: /page\ndisallow: /*.htm", False),
    ("https://example.com/page.php5", "allow: /page\ndisallow: /*.ph", True),
    ("https://example.com/", "allow: /$\ndisallow: /", True),
    ("https://example.com/page.htm", "allow: /$\ndisallow: /", False),
]


@pytest.mark.parametrize(("url", "rules", "expected"), PRECEDENCE)
def test_longest_match_wins_and_allow_wins_ties(url: str, rules: str, expected: bool) -> None:
    assert allowed(f"user-agent: *\n{rules}\n", url) is expected


GROUPS = """\
user-agent: googlebot-news
disallow: /news-only

user-agent: *
disallow: /everyone

user-agent: googlebot
disallow: /web-only
"""


@pytest.mark.parametrize(
    ("agent", "blocked"),
    [
        ("Googlebot-News", "/news-only"),  # the most specific group, not googlebot's
        ("Googlebot", "/web-only"),
        ("Storebot-Google", "/everyone"),  # no group of its own: the * group
        ("Otherbot", "/everyone"),
    ],
)
def test_each_crawler_follows_exactly_one_group(agent: str, blocked: str) -> None:
    for path in ("/news-only", "/web-only", "/everyone"):
        assert allowed(GROUPS, f"https://example.com{path}", agent) is (path != blocked)


def test_groups_for_the_same_agent_are_merged() -> None:
    robots = (
        "user-agent: googlebot-news\ndisallow: /fish\n\n"
        "user-agent: *\ndisallow: /carrots\n\n"
        "user-agent: googlebot-news\ndisallow: /shrimp\n"
    )
    assert not allowed(robots, "https://example.com/fish", "googlebot-news")
    assert not allowed(robots, "https://example.com/shrimp", "googlebot-news")
    assert allowed(robots, "https://example.com/carrots", "googlebot-news")


def test_consecutive_agents_share_a_group_and_sitemap_does_not_split_it() -> None:
    robots = (
        "user-agent: a\nsitemap: https://example.com/sitemap.xml\n\nuser-agent: b\ndisallow: /\n"
    )
    assert not allowed(robots, "https://example.com/page", "a")
    assert not allowed(robots, "https://example.com/page", "b")


def test_rules_before_any_user_agent_apply_to_nobody() -> None:
    assert allowed("disallow: /\nuser-agent: FooBot\nallow: /x\n", "https://example.com/y")


def test_agent_match_is_case_insensitive_and_by_product_token() -> None:
    robots = "User-Agent: FOOBOT/1.2 (+extra)\nDisallow: /\n"
    assert not allowed(robots, "https://example.com/", "foobot")
    assert not allowed(robots, "https://example.com/", "FooBot/3.0 (compatible)")
    # a group is never chosen by substring: "foo" is not "foobot"
    assert allowed("user-agent: foo\ndisallow: /\n", "https://example.com/", "foobot")


def test_star_followed_by_text_is_still_the_global_group() -> None:
    assert not allowed("user-agent: * (all)\ndisallow: /\n", "https://example.com/")


def test_a_specific_group_without_matching_rules_still_overrides_star() -> None:
    robots = "user-agent: *\ndisallow: /\n\nuser-agent: FooBot\ndisallow: /private\n"
    assert allowed(robots, "https://example.com/public")
    assert not allowed(robots, "https://example.com/public", "OtherBot")


def test_percent_encoding_as_google_matches_it() -> None:
    robots = "user-agent: FooBot\ndisallow: /\nallow: /foo/bar/ツ\n"
    assert allowed(robots, "http://foo.bar/foo/bar/%E3%83%84")
    assert not allowed(robots, "http://foo.bar/foo/bar/ツ")  # URL not encoded: no match
    robots = "user-agent: FooBot\ndisallow: /\nallow: /foo/bar/%62%61%7A\n"
    assert not allowed(robots, "http://foo.bar/foo/bar/baz")  # escapes are not decoded
    assert allowed(robots, "http://foo.bar/foo/bar/%62%61%7A")


def test_special_characters() -> None:
    robots = "user-agent: FooBot\ndisallow: /foo/bar/quz\nallow: /foo/*/qux\n"
    assert not allowed(robots, "http://foo.bar/foo/bar/quz")
    assert allowed(robots, "http://foo.bar/foo/quz")
    assert allowed(robots, "http://foo.bar/foo//quz")  # a double slash is not collapsed
    robots = "user-agent: FooBot\ndisallow: /foo/bar$\nallow: /foo/bar/qux\n"
    assert not allowed(robots, "http://foo.bar/foo/bar")
    assert allowed(robots, "http://foo.bar/foo/bar/")
    robots = "user-agent: FooBot\n# disallow: /\ndisallow: /foo/quz#qux\nallow: /\n"
    assert allowed(robots, "http://foo.bar/foo/bar")
    assert not allowed(robots, "http://foo.bar/foo/quz")


def test_dollar_inside_a_pattern_and_brackets_are_literal() -> None:
    robots = "user-agent: *\ndisallow: /a$b\ndisallow: /[x]\n"
    assert not allowed(robots, "https://example.com/a$b")
    assert allowed(robots, "https://example.com/a")
    assert not allowed(robots, "https://example.com/[x]/y")
    assert allowed(robots, "https://example.com/x")


def test_question_mark_is_a_plain_character_and_query_counts() -> None:
    robots = "user-agent: *\ndisallow: /search?q=\n"
    assert not allowed(robots, "https://example.com/search?q=shoes")
    assert allowed(robots, "https://example.com/searchXq=shoes")
    assert allowed(robots, "https://example.com/search#q=shoes")  # the fragment never counts


def test_forgiving_syntax_typos_and_missing_colon() -> None:
    for line in ("Disalow: /x", "dissallow: /x", "disallow /x", "DISALLOW:/x"):
        assert not allowed(f"useragent: *\n{line}\n", "https://example.com/x"), line
    # "key value value" is not a line at all
    assert allowed("user-agent: *\ndisallow /x /y\n", "https://example.com/x")
    for ua in ("User-agent: *", "useragent: *", "user agent: *"):
        assert not allowed(f"{ua}\ndisallow: /\n", "https://example.com/"), ua


def test_line_endings_and_bom() -> None:
    for sep in ("\n", "\r\n", "\r"):
        robots = sep.join(["\ufeffuser-agent: FooBot", "disallow: /", "allow: /ok"])
        assert allowed(robots, "https://example.com/ok")
        assert not allowed(robots, "https://example.com/no")


def test_index_html_allows_the_directory() -> None:
    robots = "user-agent: *\ndisallow: /\nallow: /allowed-slash/index.html\n"
    assert allowed(robots, "https://example.com/allowed-slash/")
    assert not allowed(robots, "https://example.com/allowed-slash/other")


def test_empty_rules_and_empty_file_allow_everything() -> None:
    assert allowed("", "https://example.com/x")
    assert allowed("user-agent: *\ndisallow:\n", "https://example.com/x")


def test_path_params_query() -> None:
    assert path_params_query("http://a.b/c?d#e") == "/c?d"
    assert path_params_query("http://a.b?d") == "/?d"
    assert path_params_query("http://a.b#/c") == "/"
    assert path_params_query("//a.b/c") == "/c"


def test_sitemaps_and_line_numbers_are_kept() -> None:
    lines = parse_lines("# c\nUser-agent: *\n\nSitemap: https://example.com/s.xml\n")
    assert [(line.number, line.kind) for line in lines] == [(2, "user-agent"), (4, "sitemap")]
    assert GoogleRobotsTxt("Sitemap: https://e.x/s.xml").sitemaps == ["https://e.x/s.xml"]


def test_scrapy_uses_the_google_parser_with_the_crawler_user_agent() -> None:
    crawler = get_crawler(settings_dict={"ROBOTSTXT_USER_AGENT": "unsilo"})
    body = b"user-agent: unsilo\ndisallow: /private\n\nuser-agent: *\ndisallow: /\n"
    parser = GoogleRobotParser.from_crawler(crawler, body)
    assert parser.allowed("https://shop.example/ok", "unsilo/0.1 (+https://x)")
    assert not parser.allowed(b"https://shop.example/private/a", b"unsilo")
    assert not parser.allowed("https://shop.example/ok", "otherbot")


def test_project_settings_name_the_google_parser() -> None:
    from unsilo import settings

    assert settings.ROBOTSTXT_PARSER == "unsilo.robots_rules.GoogleRobotParser"
