"""Focused checks of single facts on small pages built in the test."""

from __future__ import annotations

import pytest

from unsilo.extract import extract_page
from unsilo.extract.hreflang import valid_hreflang
from unsilo.extract.link_header import parse_link_headers
from unsilo.extract.link_position import POSITIONS
from unsilo.extract.structured_data import parse_json_ld


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("en", True),
        ("en-GB", True),
        ("EN-gb", True),
        ("x-default", True),
        ("zh-Hant", True),
        ("zh-Hant-TW", True),
        ("en-UK", False),
        ("english", False),
        ("en_GB", False),
        ("xx", False),
        ("de-DE-DE", False),
        ("", False),
    ],
)
def test_hreflang_codes(code: str, valid: bool) -> None:
    assert valid_hreflang(code) is valid


def test_link_header_keeps_commas_inside_urls() -> None:
    links = parse_link_headers(['</a,b>; rel="canonical", </c>; REL=Alternate; hreflang=de'])
    assert [(link.url, link.rel, link.params.get("hreflang")) for link in links] == [
        ("/a,b", ["canonical"], None),
        ("/c", ["alternate"], "de"),
    ]


def test_base_href_moves_relative_urls(html_response) -> None:
    body = """<html><head><base href="https://cdn.shop.example/de/">
    <link rel="canonical" href="boots"></head>
    <body><a href="shoes">Shoes</a><a href="/top">Top</a></body></html>"""
    result = extract_page(html_response(body, url="https://shop.example/x/y"), site="shop.example")
    assert result.page.canonical == "https://cdn.shop.example/de/boots"
    assert [link.target_url for link in result.links] == [
        "https://cdn.shop.example/de/shoes",
        "https://cdn.shop.example/top",
    ]


def test_hostile_base_href_is_ignored(html_response) -> None:
    body = '<html><head><base href="javascript:alert(1)//"></head><a href="a">A</a></html>'
    result = extract_page(html_response(body, url="https://shop.example/x/"), site="shop.example")
    assert [link.target_url for link in result.links] == ["https://shop.example/x/a"]


def test_word_count_skips_invisible_text(html_response) -> None:
    body = """<html><head><title>not counted</title></head><body>
    <p>one two</p><script>three four</script><style>five</style>
    <noscript>six</noscript><template>seven</template><p>eight<b>nine</b></p></body></html>"""
    assert extract_page(html_response(body), site="x").page.word_count == 4


def test_empty_alt_is_decorative_not_missing(html_response) -> None:
    body = '<body><img src="a.png" alt=""><img src="b.png" alt="B"><img src="c.png"></body>'
    page = extract_page(html_response(body), site="x").page
    assert (page.images, page.images_missing_alt, page.images_missing_alt_src) == (
        3,
        1,
        ["c.png"],
    )


def test_anchor_falls_back_to_image_alt(html_response) -> None:
    body = '<body><a href="/x"><img src="l.png" alt="Logo"></a><a href="/y"> Go  on </a></body>'
    links = extract_page(html_response(body), site="shop.example").links
    assert [link.anchor for link in links] == ["Logo", "Go on"]


@pytest.mark.parametrize(
    "text",
    [
        '{"@type": "Product", /* block */ "name": "x",}',
        '<!-- {"@type": "Product"} -->',
        '{"@type":\x01 "Product"}',
    ],
)
def test_invalid_json_ld_is_read_leniently(text: str) -> None:
    data, problem = parse_json_ld(text)
    assert data["@type"] == "Product"
    assert problem and "leniently" in problem


def test_hostile_json_ld_never_raises(html_response) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    body = f"""<html><head>
    <script type="application/ld+json">{deep}</script>
    <script type="application/ld+json">{{"@type": "Organization", "sameAs": 5}}</script>
    <script type="application/ld+json">not json at all</script>
    </head></html>"""
    page = extract_page(html_response(body), site="x").page
    assert page.structured_data_types == ["Organization"]
    assert len(page.structured_data_errors) == 2


def test_rdfa_only_when_asked(html_response) -> None:
    body = """<html><body vocab="https://schema.org/"><div typeof="Product">
    <span property="name">Boot</span></div></body></html>"""
    assert extract_page(html_response(body), site="x").page.structured_data_types == []
    rdfa = extract_page(html_response(body), site="x", rdfa=True).page
    assert rdfa.structured_data_types == ["Product"]


def test_widgets_comments_and_login(html_response) -> None:
    body = """<html><head>
    <script src="https://platform-api.sharethis.com/js/sharethis.js"></script>
    <script src="https://shop.disqus.com/embed.js"></script>
    <script>document.querySelector('b').onclick = () => navigator.share({url: 'x'});</script>
    </head><body>
    <div class="addthis_inline_share_toolbox"></div><div class="fb-like"></div>
    <div class="fb-comments"></div><div class="trustpilot-widget"></div>
    <div id="appleid-signin"></div>
    <a href="https://accounts.google.com/o/oauth2/v2/auth?client_id=1">Google</a>
    <button>Continue with Twitter</button>
    </body></html>"""
    social = extract_page(html_response(body), site="x").social
    assert social is not None
    assert social.share_widgets == ["sharethis", "addthis", "facebook-like"]
    assert social.comment_widgets == ["disqus", "facebook-comments", "trustpilot"]
    assert social.web_share_api is True
    assert social.social_login == ["apple", "google", "x"]


def test_navigator_share_in_html_text_is_not_api_use(html_response) -> None:
    body = "<body><p>We never call navigator.share here.</p></body>"
    assert extract_page(html_response(body), site="x").social.web_share_api is False


def test_html_sniffed_in_octet_stream(html_response) -> None:
    response = html_response(
        b"<!DOCTYPE html><html><title>Sniffed</title></html>",
        Content_Type="application/octet-stream",
    )
    page = extract_page(response, site="x").page
    assert (page.is_html, page.title) == (True, "Sniffed")


def test_binary_octet_stream_is_not_html(html_response) -> None:
    response = html_response(b"\x89PNG\r\n\x1a\n\x00\x00", Content_Type="application/octet-stream")
    result = extract_page(response, site="x")
    assert (result.page.is_html, result.social, result.links) == (False, None, [])


def test_og_from_name_and_property_in_order(html_response) -> None:
    body = """<head><meta name="OG:Title" content="T"><meta property="product:price:amount"
    content=" 9 "><meta property="twitter:card" content="summary"><meta name="twitter:site"
    content="@s"><meta property="og:image"></head>"""
    social = extract_page(html_response(body), site="x").social
    assert [(p.property, p.content) for p in social.og] == [
        ("og:title", "T"),
        ("product:price:amount", "9"),
    ]
    assert [p.property for p in social.twitter] == ["twitter:card", "twitter:site"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", "text/html"),
        (b"\x00\xff\xfe<html><title>\x00bad\xff</title>", "text/html; charset=utf-8"),
        (b"<html><title>t</title>", "text/html; charset=no-such-encoding"),
        (b"<a href='http://[::1'>bad</a><a href='https://x.example:99999/'>port</a>", "text/html"),
        (b"<meta name=robots><link rel=canonical><link rel=alternate hreflang>", "text/html"),
    ],
)
def test_hostile_pages_do_not_raise(html_response, body: bytes, content_type: str) -> None:
    result = extract_page(html_response(body, Content_Type=content_type), site="shop.example")
    assert result.page.is_html and result.social is not None
    assert result.page.canonical is None and result.page.hreflang == []


def test_link_positions_follow_the_page_landmarks(html_response) -> None:
    body = (
        '<body><header class="site"><a href="/">Logo</a>'
        '<nav><a href="/sko">Sko</a></nav></header>'
        '<div role="navigation"><a href="/menu">Menu</a></div>'
        '<main><nav aria-label="Brødkrumme"><a href="/kat">Kategori</a></nav>'
        '<article><h1>Sofa</h1><p><a href="/puder">Puder</a></p>'
        '<footer><a href="/anmeld">Anmeld</a></footer></article>'
        '<aside><a href="/relateret">Relateret</a></aside></main>'
        '<aside><a href="/kampagne">Kampagne</a></aside>'
        '<div role="contentinfo"><a href="/cvr">CVR</a></div>'
        '<footer><a href="/om">Om os</a></footer></body>'
    )
    links = extract_page(html_response(body), site="shop.example").links
    assert [(link.anchor, link.position) for link in links] == [
        ("Logo", "header"),
        ("Sko", "navigation"),  # the innermost landmark decides
        ("Menu", "navigation"),
        ("Kategori", "navigation"),  # breadcrumbs: a nav wherever it stands
        ("Puder", "content"),
        ("Anmeld", "content"),  # an article's footer is the article's
        ("Relateret", "content"),  # an aside inside main belongs to the content
        ("Kampagne", "sidebar"),
        ("CVR", "footer"),
        ("Om os", "footer"),
    ]
    assert {link.position for link in links} <= set(POSITIONS)
