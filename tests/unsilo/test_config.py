"""A shop's config file: read into a typed ShopConfig, every mistake one line with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from unsilo.cli import main
from unsilo.config import ConfigError, ignored_environment, load_config
from unsilo.toml_lines import key_lines

GOOD = """\
# shop A
[crawl]
start_url = "https://shop-a.example/"
max_pages = 5000
max_depth = 8
sitemaps = false
include = ['/shop/', '/blog/']
exclude = [
  '/cart',          # a comment, and a pattern over several lines
  '[?&]sort=',
]
drop_query = ["sessionid", "filter_*"]

[politeness]
concurrency = 4
delay = 1

[social]
crawl = true
profiles = ["https://bsky.app/profile/shop-a.example"]
exclude_profiles = ["pinterest:some-designer"]
window_days = 30
max_posts = 50

[signals]
sources = ["hackernews", "wayback", "hackernews"]

[output]
db = "data/shop-a.duckdb"
folder = "/var/www/audits/shop-a"
language = "da"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shop.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_becomes_typed_settings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.url == "https://shop-a.example/"
    assert (config.max_pages, config.max_depth, config.sitemaps) == (5000, 8, False)
    assert config.exclude == ("/cart", "[?&]sort=")
    assert config.drop_query == ("sessionid", "filter_*")
    assert (config.concurrency, config.delay) == (4, 1.0) and isinstance(config.delay, float)
    assert config.signals == ("hackernews", "wayback")  # duplicates folded
    assert config.language == "da"
    assert config.db_path == tmp_path / "data" / "shop-a.duckdb"  # relative to the file
    assert config.out_dir == Path("/var/www/audits/shop-a")
    assert config.values()["profiles"] == ["https://bsky.app/profile/shop-a.example"]


def test_keys_left_out_are_not_given(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[crawl]\nmax_pages = 3\n"))
    assert config.values() == {"max_pages": 3}
    assert config.url is None and config.sitemaps is None


def test_the_example_in_docs_is_valid() -> None:
    config = load_config(ROOT / "docs" / "shop.toml")
    assert config.url and config.db_path and config.out_dir


MISTAKES = [
    # (what is wrong, the line to write instead of `max_depth = 8`, the line, words expected)
    (
        "unknown key",
        "max_dept = 8",
        5,
        "unknown key crawl.max_dept (did you mean crawl.max_depth?)",
    ),
    ("wrong type", 'max_depth = "8"', 5, "crawl.max_depth must be a whole number, got a string"),
    ("boolean for a number", "max_depth = true", 5, "crawl.max_depth must be a whole number"),
    ("negative limit", "max_depth = -1", 5, "crawl.max_depth must be at least 0, got -1"),
    ("bad URL", 'start_url = "shop-a.example"', 3, "crawl.start_url must be an http(s) URL"),
    ("bad pattern", None, 10, "crawl.exclude has a bad entry: '[?&sort=' is not a regular"),
    ("unknown table", None, 14, "unknown key politeness_ (did you mean politeness?)"),
    ("secret", 'reddit_token = "abc"', 5, "secrets are not read from a config file"),
    ("unknown source", None, 26, "signals.sources names an unknown source 'twitter'"),
    ("bad language", None, 31, "output.language must be one of en, da; got a string ('de')"),
    ("not TOML", "max_depth = = 8", 5, "not TOML: Invalid value"),
]


def broken(mistake: str, line: str | None) -> str:
    if line is not None:
        target = 'start_url = "https://shop-a.example/"' if "start_url" in line else "max_depth = 8"
        return GOOD.replace(target, line)
    return {
        "bad pattern": GOOD.replace("'[?&]sort='", "'[?&sort='"),
        "unknown table": GOOD.replace("[politeness]", "[politeness_]"),
        "unknown source": GOOD.replace('"wayback"', '"twitter"'),
        "bad language": GOOD.replace('"da"', '"de"'),
    }[mistake]


@pytest.mark.parametrize(
    ("mistake", "line", "number", "words"), MISTAKES, ids=[m[0] for m in MISTAKES]
)
def test_a_mistake_names_file_line_and_key(
    tmp_path: Path, mistake: str, line: str | None, number: int, words: str
) -> None:
    path = write(tmp_path, broken(mistake, line))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line {number}: "), message
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize("command", ["audit", "crawl", "report", "runs", "load"])
def test_every_command_refuses_a_broken_file_with_one_line_and_code_2(
    tmp_path: Path, command: str
) -> None:
    path = write(tmp_path, GOOD.replace("max_pages = 5000", "max_pages = -5"))
    args = [command, "--config", str(path)] + (["feeds/"] if command == "load" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert (
        result.output
        == f"unsilo: error: {path}, line 4: crawl.max_pages must be at least 1, got -5\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["crawl", "--config", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "cannot read the config file" in result.output


def test_key_lines_follow_tables_dotted_keys_and_long_arrays() -> None:
    text = 'crawl.max_pages = 3\n[output]\nx = [\n  "a = b",\n]\n"db" = "x"\n'
    assert key_lines(text) == {"crawl.max_pages": 1, "output": 2, "output.x": 3, "output.db": 6}


def test_exported_settings_are_named_as_ignored_and_tokens_are_not() -> None:
    lines = ignored_environment({"UNSILO_DB": "x.duckdb", "UNSILO_REDDIT_TOKEN": "secret"})
    assert lines == [
        "UNSILO_DB in the environment is ignored (it carries only tokens); "
        "use --db or [output] db in the config file"
    ]


def test_social_limits_reach_the_social_spider_and_the_run_row(tmp_path: Path) -> None:
    from unsilo.crawl_request import CrawlRequest

    config = load_config(write(tmp_path, GOOD))
    assert (config.social_window_days, config.social_max_posts) == (30, 50)
    request = CrawlRequest(
        url="https://shop-a.example/",
        db_path=tmp_path / "x.duckdb",
        social_window_days=config.social_window_days,
        social_max_posts=config.social_max_posts,
    )
    settings = request.scrapy_settings("run-1")
    assert (settings["UNSILO_SOCIAL_WINDOW_DAYS"], settings["UNSILO_SOCIAL_MAX_POSTS"]) == (30, 50)
    recorded = request.run_options()
    assert (recorded["social_window_days"], recorded["social_max_posts"]) == (30, 50)
    defaults = CrawlRequest(url="https://shop-a.example/", db_path=tmp_path / "x.duckdb")
    assert "UNSILO_SOCIAL_MAX_POSTS" not in defaults.scrapy_settings("run-2")
    assert defaults.run_options()["social_max_posts"] == 200  # the default it used, recorded


def test_a_zero_post_window_names_its_key_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("window_days = 30", "window_days = 0"))
    with pytest.raises(ConfigError, match=r"line \d+: social.window_days must be at least 1"):
        load_config(path)
