"""One TOML file per shop: what ``unsilo audit --config shop.toml`` runs with.

The file is read with the standard library's ``tomllib`` and checked key by key into a
frozen ``ShopConfig``; a mistake is a ``ConfigError`` whose one line names the file, the
line and the key (``shop.toml, line 7: crawl.max_pages must be …``). ``tomllib`` reports no
positions for values, so ``unsilo.toml_lines`` finds a key's line in the text itself; that small
scanner is cheaper to keep than a round-trip TOML library (tomlkit) we would use for
nothing else. Relative paths in the file are relative to the file's folder, so a file and
the paths it names travel together (cron runs in any working directory).

Secrets are never read from the file: tokens come from the environment only
(``TOKEN_VARIABLES``), so a config file can be shared with a client or committed.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "shop.toml").write_text('[crawl]\\nstart_url = "https://shop.example"\\n')
>>> load_config(folder / "shop.toml").url
'https://shop.example'
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from unsilo.languages import report_languages
from unsilo.signals.registry import DEFAULT_SOURCES, OPT_IN_SOURCES
from unsilo.toml_lines import locate
from unsilo.urls import check_param_names, check_patterns, is_http_url

SIGNAL_SOURCES = DEFAULT_SOURCES + OPT_IN_SOURCES  # the signals registry's, in its order
REPORT_LANGUAGES = report_languages()  # English plus every catalogue in unsilo/locale/
# read by the social spider from the environment only; never from a file, never recorded
TOKEN_VARIABLES = (
    "UNSILO_BLUESKY_HANDLE",
    "UNSILO_BLUESKY_APP_PASSWORD",
    "UNSILO_YOUTUBE_API_KEY",
    "UNSILO_REDDIT_TOKEN",
    "UNSILO_REDDIT_CLIENT_ID",
    "UNSILO_REDDIT_CLIENT_SECRET",
    "UNSILO_FACEBOOK_TOKEN",
)
_SECRET_HINT = re.compile(r"token|secret|password|passwd|api_?key|credential", re.IGNORECASE)


class ConfigError(Exception):
    """A mistake in a config file, as one line: file, line, key and what to change."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ShopConfig:
    """A shop's settings from its file; None (or empty) where the file says nothing.

    Field names are the ``unsilo`` command's parameter names, so an option given on the
    command line replaces exactly the field it names.
    """

    path: Path
    url: str | None = None
    max_pages: int | None = None
    max_depth: int | None = None
    robots_user_agent: str | None = None
    trap_repeats: int | None = None
    sitemaps: bool | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    drop_query: tuple[str, ...] | None = None
    concurrency: int | None = None
    delay: float | None = None
    social: bool | None = None
    profiles: tuple[str, ...] | None = None
    exclude_profiles: tuple[str, ...] | None = None
    social_window_days: int | None = None
    social_max_posts: int | None = None
    collect_signals: bool | None = None
    signals: tuple[str, ...] | None = None
    signal_max_age_days: int | None = None
    signal_url_budget: int | None = None
    lemmy_instances: tuple[str, ...] | None = None
    wikipedia_languages: tuple[str, ...] | None = None
    language: str | None = None
    db_path: Path | None = None
    out_dir: Path | None = None
    keep_monthly: int | None = None
    keep_latest: int | None = None
    given: frozenset[str] = field(default=frozenset())

    def values(self) -> dict[str, Any]:
        """The settings the file gives, by parameter name (lists as lists)."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name in self.given}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


Check = Callable[[Any, "_Context"], Any]


@dataclass(frozen=True)
class _Key:
    name: str  # dotted, as written in the file
    param: str  # the ShopConfig field it sets
    check: Check
    doc: str


@dataclass
class _Context:
    """What a check needs to point at the right line."""

    path: Path
    text: str
    key: str

    def error(self, message: str, item: str | None = None) -> ConfigError:
        return ConfigError(self.path, locate(self.text, self.key, item), f"{self.key} {message}")


def _whole(minimum: int) -> Check:
    def check(value: Any, ctx: _Context) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ctx.error(f"must be a whole number, got {_shown(value)}")
        if value < minimum:
            raise ctx.error(f"must be at least {minimum}, got {value}")
        return value

    return check


def _seconds(value: Any, ctx: _Context) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ctx.error(f"must be a number of seconds, got {_shown(value)}")
    if value < 0:
        raise ctx.error(f"must be 0 or more seconds, got {value}")
    return float(value)


def _flag(value: Any, ctx: _Context) -> bool:
    if not isinstance(value, bool):
        raise ctx.error(f"must be true or false, got {_shown(value)}")
    return value


def _strings(value: Any, ctx: _Context) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ctx.error(f'must be a list of strings, e.g. ["a", "b"], got {_shown(value)}')
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ctx.error(f"must hold non-empty strings only, got {_shown(item)}")
    return tuple(item.strip() for item in value)


def _http_url(value: Any, ctx: _Context) -> str:
    if not isinstance(value, str) or not is_http_url(value):
        raise ctx.error(f'must be an http(s) URL (e.g. "https://shop.example"), got {value!r}')
    return value.strip()


def _http_urls(value: Any, ctx: _Context) -> tuple[str, ...]:
    urls = _strings(value, ctx)
    for url in urls:
        if not is_http_url(url):
            raise ctx.error(f"must hold http(s) URLs only, got {url!r}", item=url)
    return urls


def _checked_by(checker: Callable[[list[str]], None]) -> Check:
    """A list of strings that ``checker`` (from ``unsilo.urls``) accepts or explains."""

    def check(value: Any, ctx: _Context) -> tuple[str, ...]:
        items = _strings(value, ctx)
        for item in items:
            try:
                checker([item])
            except ValueError as exc:
                raise ctx.error(f"has a bad entry: {exc}", item=item) from None
        return items

    return check


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any, ctx: _Context) -> str:
        if value not in choices:
            raise ctx.error(f"must be one of {', '.join(choices)}; got {_shown(value)}")
        return value

    return check


def _some_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any, ctx: _Context) -> tuple[str, ...]:
        items = _strings(value, ctx)
        for item in items:
            if item not in choices:
                known = ", ".join(choices)
                raise ctx.error(f"names an unknown source {item!r} (known: {known})", item=item)
        return tuple(dict.fromkeys(items))

    return check


def _word(value: Any, ctx: _Context) -> str:
    if not isinstance(value, str) or not value.strip() or any(c.isspace() for c in value.strip()):
        raise ctx.error(f"must be one word (a user agent such as Googlebot), got {_shown(value)}")
    return value.strip()


def _path(value: Any, ctx: _Context) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(f"must be a path, got {_shown(value)}")
    path = Path(value.strip()).expanduser()
    return path if path.is_absolute() else ctx.path.parent / path


KEYS = (
    _Key("crawl.start_url", "url", _http_url, "the shop's start URL"),
    _Key("crawl.max_pages", "max_pages", _whole(1), "stop after this many URLs"),
    _Key("crawl.max_depth", "max_depth", _whole(0), "do not follow links deeper"),
    _Key("crawl.robots_user_agent", "robots_user_agent", _word, "obey robots.txt as this agent"),
    _Key("crawl.trap_repeats", "trap_repeats", _whole(0), "repeats that make a URL family a trap"),
    _Key("crawl.sitemaps", "sitemaps", _flag, "read the sitemaps named in robots.txt"),
    _Key("crawl.include", "include", _checked_by(check_patterns), "follow only matching URLs"),
    _Key("crawl.exclude", "exclude", _checked_by(check_patterns), "never follow matching URLs"),
    _Key("crawl.drop_query", "drop_query", _checked_by(check_param_names), "params to drop"),
    _Key("politeness.concurrency", "concurrency", _whole(1), "parallel requests to the shop"),
    _Key("politeness.delay", "delay", _seconds, "seconds between requests, at least"),
    _Key("social.crawl", "social", _flag, "also audit the shop's social profiles"),
    _Key("social.profiles", "profiles", _http_urls, "profiles to add"),
    _Key("social.exclude_profiles", "exclude_profiles", _strings, "profiles to leave out"),
    _Key("social.window_days", "social_window_days", _whole(1), "days of posts read per profile"),
    _Key("social.max_posts", "social_max_posts", _whole(1), "posts read per profile, at most"),
    _Key("signals.collect", "collect_signals", _flag, "ask who shared the shop's pages"),
    _Key("signals.sources", "signals", _some_of(SIGNAL_SOURCES), "signal sources to ask"),
    _Key("signals.max_age_days", "signal_max_age_days", _whole(0), "days answers are reused"),
    _Key("signals.url_budget", "signal_url_budget", _whole(0), "pages a per-URL source asks"),
    _Key("signals.lemmy_instances", "lemmy_instances", _strings, "Lemmy instances to search"),
    _Key("signals.wikipedia_languages", "wikipedia_languages", _strings, "Wikipedias to ask"),
    _Key("output.db", "db_path", _path, "the DuckDB file"),
    _Key("output.folder", "out_dir", _path, "the report folder"),
    _Key("output.language", "language", _one_of(REPORT_LANGUAGES), "the report's language"),
    _Key("retention.keep_monthly", "keep_monthly", _whole(0), "months kept whole by prune"),
    _Key("retention.keep_latest", "keep_latest", _whole(0), "newest runs kept whole by prune"),
)
_BY_NAME = {key.name: key for key in KEYS}
_TABLES = {name.split(".")[0] for name in _BY_NAME}


def load_config(path: Path) -> ShopConfig:
    """Read and check ``path``; raises ``ConfigError`` (one line) at the first mistake."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ConfigError(path, None, f"cannot read the config file: {reason}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(found.group(1)) if found else None
        raise ConfigError(path, line, f"not TOML: {message}") from None
    values: dict[str, Any] = {}
    for name, value in _flatten(data, path, text):
        key = _BY_NAME[name]
        values[key.param] = key.check(value, _Context(path, text, name))
    return ShopConfig(path=path, **values, given=frozenset(values))


def _flatten(data: dict[str, Any], path: Path, text: str) -> list[tuple[str, Any]]:
    """(dotted key, value) pairs; an unknown table or key is an error naming its line."""
    pairs: list[tuple[str, Any]] = []
    for table, content in data.items():
        if table not in _TABLES:
            raise _unknown(table, path, text, sorted(_TABLES))
        if not isinstance(content, dict):
            raise ConfigError(path, locate(text, table), f"{table} must be a table ([{table}])")
        for key, value in content.items():
            name = f"{table}.{key}"
            if name not in _BY_NAME:
                raise _unknown(name, path, text, sorted(_BY_NAME))
            pairs.append((name, value))
    return pairs


def _unknown(name: str, path: Path, text: str, known: list[str]) -> ConfigError:
    if _SECRET_HINT.search(name):
        tokens = ", ".join(TOKEN_VARIABLES)
        message = f"{name}: secrets are not read from a config file; set them in the environment"
        return ConfigError(path, locate(text, name), f"{message} ({tokens})")
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]}?)" if close else f" (known: {', '.join(known)})"
    return ConfigError(path, locate(text, name), f"unknown key {name}{hint}")


def _shown(value: Any) -> str:
    kind = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    kind.update({list: "a list", dict: "a table"})
    return f"{kind.get(type(value), type(value).__name__)} ({value!r})"


def ignored_environment(environ: dict[str, str] | None = None) -> list[str]:
    """One line per exported variable named like an unsilo setting, which is never read.

    ``export UNSILO_DB=…`` looks like it chooses the database but did nothing; honouring
    it would make the environment a second, invisible place for settings (a cron line
    would depend on a shell profile), so it is named instead, with what to use.
    """
    import os

    from unsilo import settings

    environ = os.environ if environ is None else environ
    hints = {"UNSILO_DB": "--db or [output] db in the config file"}
    names = sorted(n for n in vars(settings) if n.startswith("UNSILO_") and n in environ)
    return [
        f"{name} in the environment is ignored (it carries only tokens); "
        f"use {hints.get(name, f'-s {name}=…')}"
        for name in names
    ]
