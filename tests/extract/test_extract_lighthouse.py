"""One test per Lighthouse SEO audit a non-rendering crawler can decide, on the pass and fail
examples of Lighthouse's audit documentation (developer.chrome.com/docs/lighthouse/seo/…)
and the rules of its audit sources; each asserts the fact the matching check reads."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy.http import HtmlResponse

from unsilo.extract import ExtractedPage, extract_page
from unsilo.extract.robots_txt import robots_txt_validity

URL = "https://shop.example/shoes/trail"
NOW = datetime(2026, 12, 6, tzinfo=UTC)


def page(
    head: str = "", body: str = "", *, url: str = URL, lang: str = "en", **kw: object
) -> ExtractedPage:
    html = f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'
    headers = kw.pop("headers", {"Content-Type": "text/html; charset=utf-8"})
    response = HtmlResponse(url=url, body=html.encode(), headers=headers, encoding="utf-8")
    return extract_page(response, site="shop.example", **kw)


def test_document_title() -> None:
    # fails: no <title>, or one that is only whitespace; passes: a title with text
    assert page().page.title is None
    assert page("<title>  </title>").page.title == ""
    assert page("<title>Trail boots | Shop</title>").page.title == "Trail boots | Shop"


def test_meta_description() -> None:
    # fails: no description, or an empty one; passes: a description with text
    assert page().page.meta_description is None
    assert page('<meta name="description" content="">').page.meta_description == ""
    good = page('<meta name="description" content="Put your description here.">')
    assert good.page.meta_description == "Put your description here."


def test_http_status_code() -> None:
    # fails: a page served with 400 or above (the check reads the stored status)
    response = HtmlResponse(url=URL, body=b"<html></html>", status=404)
    assert extract_page(response, site="shop.example").page.status == 404


def test_is_crawlable() -> None:
    blocked_meta = page('<meta name="robots" content="noindex">').page
    assert blocked_meta.noindex and blocked_meta.robots_blocked_agents == ["robots"]
    header = {"Content-Type": "text/html", "X-Robots-Tag": "none"}
    assert page(headers=header).page.robots_blocked_agents == ["robots"]
    # crawler-specific: not every crawler is blocked (Lighthouse warns, does not fail)
    googlebot = page('<meta name="googlebot" content="noindex">').page
    assert googlebot.robots_blocked_agents == ["googlebot"] and googlebot.noindex
    bing = page(headers={"Content-Type": "text/html", "X-Robots-Tag": "bingbot: noindex"}).page
    assert bing.robots_blocked_agents == ["bingbot"] and not bing.noindex
    assert page('<meta name="AdsBot-Google" content="noindex">').page.robots_blocked_agents == []
    # unavailable_after: blocking once the date has passed at fetch time, not before
    past = '<meta name="robots" content="unavailable_after: 25 Jun 2010 15:00:00 PST">'
    assert page(past, now=NOW).page.noindex
    assert page(past, now=NOW).page.robots_blocked_agents == ["robots"]
    assert page(past, now=NOW).page.unavailable_after == "2010-06-25T23:00:00+00:00"
    future = '<meta name="robots" content="unavailable_after: 2099-01-01">'
    assert not page(future, now=NOW).page.noindex
    assert page(future, now=NOW).page.robots_blocked_agents == []
    # passes: index directives only
    assert page('<meta name="robots" content="index, follow">').page.robots_blocked_agents == []


def test_hreflang() -> None:
    links = (
        '<link rel="alternate" hreflang="x-default" href="https://shop.example/">'
        '<link rel="alternate" hreflang="de-AT" href="https://shop.example/de-at/">'
        '<link rel="alternate" hreflang=" x-default" href="https://shop.example/x">'
        '<link rel="alternate" hreflang="en-UK" href="https://shop.example/uk/">'
        '<link rel="alternate" hreflang="fr" href="/fr/">'
        '<link rel="alternate" hreflang="es">'
    )
    got = [(h.lang, h.valid, h.href_issue, h.url) for h in page(links).page.hreflang]
    assert got == [
        ("x-default", True, None, "https://shop.example/"),
        ("de-AT", True, None, "https://shop.example/de-at/"),
        (" x-default", False, None, "https://shop.example/x"),  # no leading space accepted
        ("en-UK", False, None, "https://shop.example/uk/"),
        ("fr", True, "relative", "https://shop.example/fr/"),  # flagged, not silently resolved
        ("es", True, "missing", ""),  # kept, not dropped
    ]


def test_canonical() -> None:
    good = page('<link rel="canonical" href="https://shop.example/shoes/trail">').page
    assert (good.canonical, good.canonical_invalid, good.canonical_relative) == (URL, [], [])
    assert not good.canonical_to_root and not good.canonical_to_alternate
    invalid = page('<link rel="canonical" href="https:// example.com">').page
    assert invalid.canonical is None and invalid.canonical_invalid == ["https:// example.com"]
    relative = page('<link rel="canonical" href="/shoes/trail">').page
    assert relative.canonical_relative == ["/shoes/trail"] and relative.canonical == URL
    conflict = page(
        '<link rel="canonical" href="https://shop.example/a">'
        '<link rel="canonical" href="https://shop.example/b">'
    ).page
    assert conflict.canonical_conflict and conflict.canonical is None
    root = page('<link rel="canonical" href="https://shop.example/">').page
    assert root.canonical_to_root
    home = page('<link rel="canonical" href="https://shop.example/">', url="https://shop.example/")
    assert not home.page.canonical_to_root
    alternates = (
        '<link rel="alternate" hreflang="en" href="https://shop.example/shoes/trail">'
        '<link rel="alternate" hreflang="de" href="https://shop.example/de/shoes/trail">'
    )
    to_de = page(alternates + '<link rel="canonical" href="https://shop.example/de/shoes/trail">')
    assert to_de.page.canonical_to_alternate
    to_self = page(alternates + '<link rel="canonical" href="https://shop.example/shoes/trail">')
    assert not to_self.page.canonical_to_alternate


def test_link_text() -> None:
    body = (
        '<a href="/videos">click here</a>'  # fails
        '<a href="/videos">basketball videos</a>'  # passes
        '<a href="/more" rel="nofollow">read more</a>'  # nofollow: not judged
        '<a href="https://shop.example/x">https://shop.example/x</a>'  # a bare URL fails
        '<a href="/shoes/trail#reviews">here</a>'  # back to the page itself: not judged
        '<p lang="de"><a href="/mehr">Mehr</a> <a href="/here">here</a></p>'
        '<p lang="da"><a href="/x">mehr</a></p>'  # Danish has no list: never generic
    )
    links = page(body).links
    assert [(link.anchor, link.lang, link.generic_text) for link in links] == [
        ("click here", "en", True),
        ("basketball videos", "en", False),
        ("read more", "en", False),
        ("https://shop.example/x", "en", True),
        ("here", "en", False),
        ("Mehr", "de", True),
        ("here", "de", False),  # English phrase, German context
        ("mehr", "da", False),
    ]
    # no language anywhere: every list applies
    no_lang = page(body='<a href="/a">klicka här</a><a href="/b">続きを読む</a>', lang="")
    assert [link.generic_text for link in no_lang.links] == [True, True]


def test_crawlable_anchors() -> None:
    body = (
        "<a onclick=\"goto('https://example.com')\">no href</a>"  # fails
        '<a href="javascript:void(0)">void</a>'  # fails
        "<a href=\"javascript:goto('/x')\">js</a>"  # kept; passes Lighthouse
        '<a href="file:///image.png">file</a>'  # fails
        '<a href="ftp://files.example/a.zip">ftp</a>'  # kept; passes Lighthouse
        '<a href="https://exa<mple.com/">bad</a>'  # invalid URL: fails
        '<a href="https://exa mple.com/">spaced</a>'  # whitespace is dropped first: passes
        '<a href="https://example.com">ok</a><a href="/relative/path">ok</a>'
        '<a href="mailto:info@shop.example">mail</a><a id="top"></a><a name="x"></a>'
        '<a role="button">widget</a><a aria-current="page">here</a>'
    )
    extracted = page(body=body)
    got = [(a.reason, a.fails_audit, a.href) for a in extracted.page.uncrawlable_anchors]
    assert got == [
        ("no-href", True, None),
        ("javascript", True, "javascript:void(0)"),
        ("javascript", False, "javascript:goto('/x')"),
        ("file", True, "file:///image.png"),
        ("ftp", False, "ftp://files.example/a.zip"),
        ("invalid", True, "https://exa<mple.com/"),
    ]
    assert extracted.page.uncrawlable_anchor_count == 4
    # never links: only the http(s) hrefs became links
    targets = {link.target_url for link in extracted.links}
    assert not {"file:///image.png", "ftp://files.example/a.zip", "javascript:void(0)"} & targets


def test_image_alt() -> None:
    body = (
        '<img src="/a.png">'  # fails
        '<img src="/b.png" alt="">'  # decorative: passes
        '<img src="/c.png" alt="Red trail boot">'
        '<img src="/d.png" aria-label="Red trail boot">'
        '<img src="/e.png" role="presentation">'
        '<img src="/f.png" title="Red trail boot">'
        '<img src="/g.png" aria-hidden="true">'
        '<img src="/h.png" aria-label="  ">'  # an empty name: fails
    )
    facts = page(body=body).page
    assert (facts.images, facts.images_missing_alt) == (8, 2)
    assert facts.images_missing_alt_src == ["/a.png", "/h.png"]


def test_robots_txt() -> None:
    valid = b"User-agent: *\nDisallow: /cart\nAllow: /\n\nSitemap: https://shop.example/s.xml\n"
    item = robots_txt_validity(200, valid)
    assert item == {"errors": 0, "problems": [], "sitemaps": ["https://shop.example/s.xml"]}
    broken = (
        b"Disallow: /early\n"  # before any user-agent
        b"User-agent: *\n"
        b"Disallow: cart\n"  # pattern must start with / or *
        b"Disallow: /a$b\n"  # $ only at the end
        b"Crawl-delay: 5\n"  # known (Bing, Yandex): fine
        b"Unknown-thing: 1\n"
        b"Sitemap: /sitemap.xml\n"
        b"Sitemap: mailto:a@b.example\n"
        b"just words\n"
        b"User-agent:\n"
    )
    item = robots_txt_validity(200, broken)
    assert [(p.line, p.message) for p in item["problems"]] == [
        (1, "No user-agent specified"),
        (3, 'Pattern should either be empty, start with "/" or "*"'),
        (4, '"$" should only be used at the end of the pattern'),
        (6, "Unknown directive"),
        (7, "Invalid sitemap URL"),
        (8, "Invalid sitemap URL protocol"),
        (9, "Syntax not understood"),
        (10, "No user-agent specified"),
    ]
    assert item["errors"] == 8
    # a 4xx is "no robots.txt" and a 5xx has nothing to validate: the status tells
    assert robots_txt_validity(503, broken)["errors"] == 0
