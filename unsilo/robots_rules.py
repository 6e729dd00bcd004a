"""robots.txt decided the way Google's open-source matcher decides it (RFC 9309 + Google's rules).

Scrapy asks ``GoogleRobotParser`` (its ``ROBOTSTXT_PARSER`` seam) whether a URL may be fetched.
The rules, as Google's C++ matcher (google/robotstxt) applies them:

* **Groups.** Consecutive ``user-agent`` lines open one group; a rule line ends the run of
  agent lines, so the next ``user-agent`` opens a new group. Every group that names the
  crawler counts (they are merged); ``*`` counts only when no group names the crawler.
  Lines before any ``user-agent`` belong to nobody; ``sitemap`` and unknown lines do not end
  a group. The agent in a ``user-agent`` line is read up to the first character outside
  ``[a-zA-Z_-]`` and compared case-insensitively with the crawler's product token, so
  ``googlebot`` does not match ``googlebot-news``, and ``unsilo/1.0`` reads as ``unsilo``.
* **Longest match.** Of the rules of the chosen group that match the URL's path (with
  params and query), the one with the longest pattern wins; on a tie ``allow`` wins. A
  pattern matches from the start of the path; ``*`` is any run of characters and a ``$`` at
  the very end anchors the end (anywhere else it is a plain character).
* **Percent-encoding.** Pattern characters outside ASCII are percent-encoded (UTF-8) and
  existing ``%xx`` escapes upper-cased; the URL is matched as given (Scrapy's request URLs
  are already percent-encoded), so ``/%E3%83%84`` matches ``ツ`` in a pattern, while
  ``%62`` in a pattern does not match a ``b`` in the URL.
* **Forgiving syntax.** Keys are matched by prefix and case-insensitively, with Google's
  accepted typos (``useragent``, ``user agent``, ``dissallow``, ``disalow``, ``site-map``…);
  a missing colon is accepted when the line is exactly ``key value``. ``allow: /a/index.htm``
  also allows ``/a/`` itself (Google's ``index.htm(l)`` rule).

Why our own port and not a package: on the Google specification cases in
``tests/unsilo/test_robots_rules.py`` Protego 0.7 (Scrapy's default) fails 4 of 33 (it picks a
group by substring, so a ``foo`` group catches ``foobot``; it decodes percent-escapes; it
does not take ``* (all)`` as the global group; it splits lines on ``\\n`` only) and robotspy
0.13 (the maintained pure-Python candidate) fails 5 (percent-decoding, Google's key typos,
``index.html``, agent tokens, ``\\r`` line ends). Fixing Protego in a subclass would mean
replacing its group selection, its line splitting and its percent handling, i.e. most of it;
Google's matcher is small enough to port and own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from scrapy.robotstxt import RobotParser, decode_robotstxt
from scrapy.utils.python import to_unicode

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

MAX_LINE_BYTES = 2083 * 8  # Google truncates longer lines
_AGENT_KEYS = ("user-agent", "useragent", "user agent")
_ALLOW_KEYS = ("allow",)
_DISALLOW_KEYS = ("disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw")
_SITEMAP_KEYS = ("sitemap", "site-map")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_AGENT_TOKEN = re.compile(r"[a-zA-Z_-]*")
_ESCAPE = re.compile(r"%([0-9a-fA-F]{2})")


@dataclass(frozen=True, slots=True)
class RobotsLine:
    """One meaningful line: ``kind`` is user-agent, allow, disallow, sitemap or unknown."""

    number: int
    kind: str
    key: str
    value: str


def key_kind(key: str) -> str:
    """Google's reading of a key: by prefix, case-insensitive, typos accepted.

    >>> [key_kind(k) for k in ("User-Agent", "useragent", "Disalow", "Site-map", "Crawl-delay")]
    ['user-agent', 'user-agent', 'disallow', 'sitemap', 'unknown']
    """
    lowered = key.lower()
    for kind, names in (
        ("user-agent", _AGENT_KEYS),
        ("allow", _ALLOW_KEYS),
        ("disallow", _DISALLOW_KEYS),
        ("sitemap", _SITEMAP_KEYS),
    ):
        if lowered.startswith(names):
            return kind
    return "unknown"


def split_line(line: str) -> tuple[str, str] | None:
    """``(key, value)`` of one line without its comment; None when it has neither form."""
    line = line.split("#", 1)[0].strip()
    if not line:
        return None
    key, sep, value = line.partition(":")
    if not sep:
        parts = line.split()
        if len(parts) != 2:  # whitespace stands in for the colon only in "key value"
            return None
        key, value = parts
    return key.strip(), value.strip()


def parse_lines(text: str) -> list[RobotsLine]:
    """Every line with a key, numbered from 1 (a BOM at the start is dropped)."""
    lines = []
    for number, raw in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), start=1):
        raw = raw.encode("utf-8")[:MAX_LINE_BYTES].decode("utf-8", "ignore")
        if (pair := split_line(raw)) is not None:
            lines.append(RobotsLine(number, key_kind(pair[0]), *pair))
    return lines


def escape_pattern(pattern: str) -> str:
    """Percent-encode non-ASCII as UTF-8 and upper-case existing escapes, as Google does.

    >>> escape_pattern("/foo/bar/ツ"), escape_pattern("/a%2fb")
    ('/foo/bar/%E3%83%84', '/a%2Fb')
    """
    pattern = _ESCAPE.sub(lambda m: "%" + m.group(1).upper(), pattern)
    return "".join(
        c if ord(c) < 0x80 else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in pattern
    )


def path_params_query(url: str) -> str:
    """The part of a URL rules are matched against: path, params and query, never fragment.

    >>> path_params_query("http://example.com/a;b?c=d#e"), path_params_query("http://x.y")
    ('/a;b?c=d', '/')
    """
    start = 2 if url.startswith("//") else 0
    early = _find_any(url, "/?;", start)
    protocol_end = url.find("://", start)
    if protocol_end < 0 or (early >= 0 and early < protocol_end):
        protocol_end = start
    else:
        protocol_end += 3
    path_start = _find_any(url, "/?;", protocol_end)
    if path_start < 0:
        return "/"
    hash_pos = url.find("#", start)
    if 0 <= hash_pos < path_start:
        return "/"
    path = url[path_start : hash_pos if hash_pos >= 0 else len(url)]
    return path if path.startswith("/") else "/" + path


def _find_any(text: str, chars: str, start: int) -> int:
    hits = [i for i in (text.find(c, start) for c in chars) if i >= 0]
    return min(hits) if hits else -1


def product_token(user_agent: str) -> str:
    """The name a robots.txt group is compared with: ``"unsilo/0.1 (+…)"`` → ``"unsilo"``."""
    return _AGENT_TOKEN.match(user_agent.strip()).group(0)


@dataclass(frozen=True, slots=True)
class Rule:
    """An allow or disallow pattern, compiled; ``priority`` is its escaped length."""

    allow: bool
    pattern: str
    regex: re.Pattern[str]

    @property
    def priority(self) -> int:
        return len(self.pattern)


def compile_rule(allow: bool, pattern: str) -> Rule:
    """A pattern as an anchored regex: ``*`` any run, a final ``$`` the end."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in body.split("*")) + (r"\Z" if anchored else "")
    return Rule(allow, pattern, re.compile(regex, re.DOTALL))


def _rules_of(line: RobotsLine) -> list[Rule]:
    """A rule line's rules; ``allow: /a/index.html`` also allows exactly ``/a/``."""
    pattern = escape_pattern(line.value)
    if not pattern:
        return []  # an empty pattern matches with priority 0: it never decides
    rules = [compile_rule(line.kind == "allow", pattern)]
    slash = pattern.rfind("/")
    if line.kind == "allow" and slash >= 0 and pattern[slash:].startswith("/index.htm"):
        rules.append(compile_rule(True, pattern[: slash + 1] + "$"))
    return rules


@dataclass(slots=True)
class AgentRules:
    """The rules that apply to one crawler: its own groups', else the ``*`` groups'."""

    specific: list[Rule] = field(default_factory=list)
    general: list[Rule] = field(default_factory=list)
    has_specific_group: bool = False

    def allowed(self, path: str) -> bool:
        for rules in (self.specific, self.general):
            allow = _longest(rules, path, allow=True)
            deny = _longest(rules, path, allow=False)
            if allow or deny:
                return deny <= allow
            if self.has_specific_group:
                return True  # its own group decides even when no rule of it matched
        return True


def _longest(rules: list[Rule], path: str, *, allow: bool) -> int:
    """Priority of the longest ``allow`` (or disallow) rule matching ``path``; 0 if none."""
    return max((r.priority for r in rules if r.allow is allow and r.regex.match(path)), default=0)


class GoogleRobotsTxt:
    """One robots.txt, answering ``allowed(url, user_agent)`` as Google's matcher does."""

    def __init__(self, text: str) -> None:
        self.lines = parse_lines(text)
        self._agents: dict[str, AgentRules] = {}

    @cached_property
    def sitemaps(self) -> list[str]:
        return [line.value for line in self.lines if line.kind == "sitemap" and line.value]

    def rules_for(self, user_agent: str) -> AgentRules:
        """Replay the lines as Google's state machine does, for one product token."""
        token = product_token(user_agent).lower()
        if token in self._agents:
            return self._agents[token]
        found = AgentRules()
        specific = general = separator = False
        for line in self.lines:
            if line.kind == "user-agent":
                if separator:
                    specific = general = separator = False
                value = line.value
                if value.startswith("*") and (len(value) == 1 or value[1].isspace()):
                    general = True
                elif token and product_token(value).lower() == token:
                    specific = found.has_specific_group = True
            elif line.kind in ("allow", "disallow") and (specific or general):
                separator = True
                (found.specific if specific else found.general).extend(_rules_of(line))
        self._agents[token] = found
        return found

    def allowed(self, url: str, user_agent: str) -> bool:
        return self.rules_for(user_agent).allowed(path_params_query(url))


class GoogleRobotParser(RobotParser):
    """Scrapy's ``ROBOTSTXT_PARSER``: robots.txt bodies decided by ``GoogleRobotsTxt``.

    Google ignores ``crawl-delay``, so this parser reports none; the politeness settings
    (AutoThrottle, ``DOWNLOAD_DELAY``) pace the crawl instead.
    """

    def __init__(self, robotstxt_body: bytes, spider: Spider | None) -> None:
        self.spider = spider
        self.robots = GoogleRobotsTxt(decode_robotstxt(robotstxt_body, spider))

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> GoogleRobotParser:
        return cls(robotstxt_body, crawler.spider if crawler else None)

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return self.robots.allowed(to_unicode(url), to_unicode(user_agent))
