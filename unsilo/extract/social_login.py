"""Social login: which platforms a visitor can sign in with (best effort).

Recognised by, in order of trust: the vendor SDK's markup (Google Identity Services
``g_id_onload``, Apple's ``appleid-signin``, Facebook's ``fb-login-button``) and scripts;
links to a platform's OAuth endpoint or to a shop route such as ``/auth/facebook`` or
``/login/google``; and the English button texts "Sign in with …", "Log in with …",
"Continue with …". Texts in other languages are not recognised.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from unsilo.extract.dom import text_of

PLATFORMS = "facebook|google|apple|twitter|x|linkedin|amazon|microsoft|github|paypal"
ALIASES = {"twitter": "x"}
# Only elements whose text contains "with" reach Python; the test runs inside libxml2.
BUTTONS = etree.XPath(
    "//*[self::button or self::a or @role='button'][contains(translate(., 'WITH', 'with'), 'with')]"
)
MAX_BUTTON_TEXT = 80

TOKENS = {
    "facebook": frozenset({"facebook-login", "fb-login-button", "fb-login"}),
    "google": frozenset({"g_id_onload", "g_id_signin", "g-signin2", "google-signin"}),
    "apple": frozenset({"appleid-signin"}),
}
SCRIPTS = {
    "google": ("accounts.google.com/gsi/client", "apis.google.com/js/platform.js"),
    "apple": ("appleid.auth.js",),
}
OAUTH_ENDPOINTS = (
    ("accounts.google.com", "/o/oauth2", "google"),
    ("facebook.com", "/dialog/oauth", "facebook"),
    ("appleid.apple.com", "/auth/authorize", "apple"),
    ("github.com", "/login/oauth", "github"),
    ("linkedin.com", "/oauth/", "linkedin"),
)
LOGIN_ROUTE = re.compile(
    rf"/(?:auth|login|oauth|connect|signin|sign-in|social-login|sociallogin)/({PLATFORMS})(?:/|$)"
)
BUTTON_TEXT = re.compile(rf"\b(?:(?:sign|log)\s*(?:in|on|up)|continue)\s+with\s+({PLATFORMS})\b")


def social_login(
    root: HtmlElement, tokens: set[str], srcs: list[str], hrefs: list[str]
) -> list[str]:
    """Distinct platforms, in the order first found."""
    found: dict[str, None] = {}
    for platform, marks in TOKENS.items():
        if marks & tokens or any(m in src for m in SCRIPTS.get(platform, ()) for src in srcs):
            found[platform] = None
    for href in hrefs:
        if platform := _login_href(href):
            found[platform] = None
    for element in BUTTONS(root):
        text = text_of(element).lower()
        if len(text) <= MAX_BUTTON_TEXT and (m := BUTTON_TEXT.search(text)):
            found[ALIASES.get(m.group(1), m.group(1))] = None
    return list(found)


_MAYBE_LOGIN = re.compile(r"auth|login|connect|sign", re.I)


@lru_cache(maxsize=16_384)
def _login_href(href: str) -> str | None:
    """The platform a link signs in with, remembered per href: a shop's navigation repeats
    on every page, and this test of each link was a twentieth of a page's extraction."""
    if not _MAYBE_LOGIN.search(href):
        return None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    for domain, prefix, platform in OAUTH_ENDPOINTS:
        if (host == domain or host.endswith("." + domain)) and prefix in path:
            return platform
    if m := LOGIN_ROUTE.search(path):
        return ALIASES.get(m.group(1), m.group(1))
    return None
