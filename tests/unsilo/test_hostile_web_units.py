"""Retry-After parsing, RFC 9309 outcomes and the crawl options that are Scrapy settings."""

from __future__ import annotations

from email.utils import formatdate

import pytest

from unsilo.cli_options import option_settings
from unsilo.middlewares import retry_after_seconds
from unsilo.robots_fetch import robots_rules


@pytest.mark.parametrize(
    ("header", "seconds"),
    [(b"120", 120.0), ("0", 0.0), (b"soon", None), (None, None), ("", None)],
)
def test_retry_after_in_seconds(header: bytes | str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header) == seconds


def test_retry_after_as_an_http_date() -> None:
    now = 1_800_000_000.0
    assert retry_after_seconds(formatdate(now + 30, usegmt=True), now=now) == 30.0
    assert retry_after_seconds(formatdate(now - 30, usegmt=True), now=now) == 0.0  # past


@pytest.mark.parametrize(
    ("status", "rules"),
    [(200, "parsed"), (301, "allow-all"), (401, "allow-all"), (404, "allow-all"),
     (500, "disallow-all"), (503, "disallow-all"), (None, "disallow-all")],
)  # fmt: skip
def test_robots_txt_outcomes_follow_rfc_9309(status: int | None, rules: str) -> None:
    assert robots_rules(status) == rules


def test_crawl_options_become_scrapy_settings() -> None:
    assert option_settings({"robots_user_agent": "Googlebot", "trap_repeats": 0}) == {
        "ROBOTSTXT_USER_AGENT": "Googlebot",
        "UNSILO_TRAP_REPEATS": 0,
    }
    assert option_settings({"robots_user_agent": None}) == {}


def test_config_file_keys_for_the_robots_agent_and_the_trap_guard(tmp_path) -> None:
    from unsilo.config import ConfigError, load_config

    good = tmp_path / "shop.toml"
    good.write_text('[crawl]\nrobots_user_agent = "Googlebot"\ntrap_repeats = 0\n')
    config = load_config(good)
    assert (config.robots_user_agent, config.trap_repeats) == ("Googlebot", 0)
    assert option_settings(config.values()) == {
        "ROBOTSTXT_USER_AGENT": "Googlebot",
        "UNSILO_TRAP_REPEATS": 0,
    }
    bad = tmp_path / "bad.toml"
    bad.write_text('[crawl]\nrobots_user_agent = "Google bot"\n')
    with pytest.raises(ConfigError, match="line 2: crawl.robots_user_agent must be one word"):
        load_config(bad)
