"""Mastodon adapter: account and statuses entities → profile, posts, links; Link paging.

Content is HTML from other servers (hostile): it is parsed with BeautifulSoup, never
searched with regexes, and only ``<a href>`` that are neither mentions nor hashtags count.
A field with ``verified_at`` is a ``rel=me`` proof: the linked page links back.
The spider's steps: the account lookup, then its statuses, paged by the ``Link`` header.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from unsilo.social.adapter import ProfileState, SocialRequest, SocialResponse, Step
from unsilo.social.errors import MalformedResponse, load_json
from unsilo.social.items import PostItem, PostLinkItem, ProfileItem
from unsilo.social.text import as_int, as_str, distinct_urls, link_rows, with_link_domains
from unsilo.urls import is_http_url

PLATFORM = "mastodon"
NOT_LINK_CLASSES = {"mention", "hashtag"}
_LINK_VALUE = re.compile(r'<([^>]*)>\s*((?:;\s*(?:[^;,"]|"[^"]*")*)*)')  # quoted may hold ,;
_REL = re.compile(r""";\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


def account_from_json(
    data: bytes | str | dict[str, Any],
    *,
    instance: str | None = None,
    fetched_at: str | None = None,
) -> ProfileItem:
    """The profile of an Account entity (``accounts/lookup`` or ``accounts/:id``).

    ``handle`` is always ``user@instance``: a local account's ``acct`` lacks the instance,
    which is ``instance`` (the host asked) or else the host of its profile URL. ``website``
    is the first ``rel=me``-verified field link, the one the instance checked.
    """
    data = _object(load_json(data))
    acct, url = as_str(data.get("acct")), as_str(data.get("url"))
    if acct is None:
        raise MalformedResponse("account without acct")
    if "@" not in acct and instance:
        acct = f"{acct}@{instance}"
    elif "@" not in acct and url and is_http_url(url):
        acct = f"{acct}@{urlsplit(url).hostname}"
    fields = [f for f in data.get("fields") or [] if isinstance(f, dict)]
    field_links = [(link, f) for f in fields for link in html_links(as_str(f.get("value")))]
    verified = [link for link, f in field_links if as_str(f.get("verified_at"))]
    bio = html_links(as_str(data.get("note"))) + [link for link, _ in field_links]
    profile = ProfileItem(
        platform=PLATFORM,
        handle=acct,
        profile_url=url,
        api_status="ok",
        display_name=as_str(data.get("display_name")),
        description=html_text(as_str(data.get("note"))) or None,
        website=verified[0] if verified else None,
        links_in_bio=list(dict.fromkeys(bio)),
        followers=as_int(data.get("followers_count")),
        following=as_int(data.get("following_count")),
        posts_count=as_int(data.get("statuses_count")),
        verified_links=list(dict.fromkeys(verified)),
        created_at=as_str(data.get("created_at")),
        fetched_at=fetched_at,
    )
    return with_link_domains(profile)


def statuses_from_json(
    data: bytes | str | list[Any], handle: str
) -> tuple[list[PostItem], list[PostLinkItem]]:
    """Posts and links of one ``accounts/:id/statuses`` page (paging: ``next_page_url``)."""
    data = load_json(data)
    if not isinstance(data, list):
        raise MalformedResponse("statuses: expected a JSON array")
    posts: list[PostItem] = []
    links: list[PostLinkItem] = []
    for status in data:
        if isinstance(status, dict) and as_str(status.get("id")):
            post, rows = _status(status, handle)
            posts.append(post)
            links.extend(rows)
    return posts, links


def next_page_url(link_header: str | bytes | None) -> str | None:
    """The ``rel="next"`` target of an RFC 8288 ``Link`` header, if it is http(s).

    >>> next_page_url('<https://m.example/a?max_id=1>; rel="next", <https://m.example/a>; rel=prev')
    'https://m.example/a?max_id=1'
    """
    if isinstance(link_header, bytes):
        link_header = link_header.decode("latin-1")
    for target, params in _LINK_VALUE.findall(link_header or ""):
        for quoted, bare in _REL.findall(params):
            if "next" in (quoted or bare).lower().split() and is_http_url(target):
                return target.strip()
    return None


def html_links(html: str | None) -> list[str]:
    """Absolute http(s) hrefs of ``html``, without mentions (``u-url mention``) or hashtags.

    The href is the full URL; the visible text is shortened with ``invisible`` spans.
    """
    if not html:
        return []
    links: list[str] = []
    for a in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        classes = set(a.get("class") or [])
        rel = {r.lower() for r in a.get("rel") or []}
        href = str(a["href"]).strip()
        if classes & NOT_LINK_CLASSES or "tag" in rel or not is_http_url(href):
            continue
        if href not in links:
            links.append(href)
    return links


def html_text(html: str | None) -> str:
    """Readable text of status HTML: paragraphs and line breaks become newlines."""
    if not html:
        return ""
    soup = BeautifulSoup(html, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    paragraphs = soup.find_all("p")
    if not paragraphs:
        return soup.get_text().strip()
    return "\n\n".join(p.get_text().strip() for p in paragraphs)


def _status(status: dict[str, Any], handle: str) -> tuple[PostItem, list[PostLinkItem]]:
    reblog = status.get("reblog") if isinstance(status.get("reblog"), dict) else None
    shown = reblog or status  # a reblog's text, links and counts are the original's
    post_id = as_str(status.get("id")) or ""
    kind = _kind(status, reblog)
    card = shown.get("card") if isinstance(shown.get("card"), dict) else {}
    pairs = [(url, "content") for url in html_links(as_str(shown.get("content")))]
    pairs.append((as_str(card.get("url")) or "", "card"))
    rows = link_rows(PLATFORM, post_id, pairs)
    post = PostItem(
        platform=PLATFORM,
        handle=handle,
        post_id=post_id,
        url=as_str(shown.get("url")) or as_str(shown.get("uri")),
        created_at=as_str(status.get("created_at")),
        text=html_text(as_str(shown.get("content"))),
        kind=kind,
        is_reply_to_other=kind == "reply",
        likes=as_int(shown.get("favourites_count")),
        reposts=as_int(shown.get("reblogs_count")),
        replies=as_int(shown.get("replies_count")),
        quotes=as_int(shown.get("quotes_count")),
        links=distinct_urls(rows),
    )
    return post, rows


def _kind(status: dict[str, Any], reblog: dict[str, Any] | None) -> str:
    if reblog is not None:
        return "repost"
    if status.get("in_reply_to_id") is not None:
        account = status.get("account") if isinstance(status.get("account"), dict) else {}
        own = (
            account.get("id") is not None and status.get("in_reply_to_account_id") == account["id"]
        )
        return "self-thread" if own else "reply"
    if isinstance(status.get("quote"), dict):
        return "quote"
    return "post"


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise MalformedResponse(f"expected a JSON object, got {type(data).__name__}")
    return data


# --- adapter: the steps the social spider drives (``unsilo.social.adapter``) ---------------

PAGE_SIZE = 40  # the statuses endpoint's largest page


def first_requests(state: ProfileState) -> list[SocialRequest]:
    """``accounts/lookup`` on the account's own instance: anonymous, unlike search."""
    user, _, instance = state.ref.handle.partition("@")
    return [SocialRequest(state.endpoints.mastodon_lookup(instance, user), "lookup", api=True)]


def parse(response: SocialResponse, state: ProfileState) -> Step:
    """``lookup`` → the profile and its first statuses page; ``statuses`` → posts, and the
    ``Link: rel="next"`` page."""
    instance = state.ref.handle.rpartition("@")[2]
    if response.request.step == "lookup":
        data = load_json(response.body)
        profile = account_from_json(data, instance=instance, fetched_at=state.fetched_at)
        account_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(account_id, str | int) or not str(account_id).isdigit():
            return Step(profile=profile, error=MalformedResponse("account without a numeric id"))
        url = state.endpoints.mastodon_statuses(instance, str(account_id), limit=PAGE_SIZE)
        return Step(profile=profile, next=[SocialRequest(url, "statuses", api=True)])
    posts, links = statuses_from_json(response.body, state.handle)
    next_url = next_page_url(response.headers.get("link"))
    pages = [SocialRequest(next_url, "statuses", api=True, next_page=True)] if next_url else []
    return Step(posts=posts, links=links, next=pages)
