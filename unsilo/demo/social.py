"""Social markup of demo pages: Open Graph variants, Twitter cards and share affordances.

Each variant is one of the cases the auditor must tell apart (complete, missing image,
relative image, ``og:url`` not the canonical, none), so they are produced in one place.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import quote

Meta = tuple[str, str, str]  # (attribute, name, content)


def open_graph(
    mode: str,
    *,
    title: str,
    og_type: str,
    url: str,
    image: str,
    description: str,
    price: str | None = None,
) -> list[Meta]:
    """Open Graph properties for ``mode``; ``image`` is absolute, ``url`` the canonical."""
    if mode == "none":
        return []
    og = [("property", "og:site_name", "Nordlys Goods"), ("property", "og:type", og_type)]
    og.append(("property", "og:title", title))
    og.append(("property", "og:description", description))
    if mode == "url_mismatch":
        og.append(("property", "og:url", url + "?variant=standard"))
    else:
        og.append(("property", "og:url", url))
    if mode == "relative_image":
        og.append(("property", "og:image", "/" + image.split("/", 3)[3]))
    elif mode != "missing_image":
        og.append(("property", "og:image", image))
        og.append(("property", "og:image:width", "1200"))
        og.append(("property", "og:image:height", "630"))
    og.append(("property", "og:locale", "da_DK"))
    if price is not None:
        og.append(("property", "product:price:amount", price))
        og.append(("property", "product:price:currency", "DKK"))
    return og


def twitter_card(title: str, description: str, image: str) -> list[Meta]:
    return [
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:site", "@nordlysgoods"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image),
    ]


SHARE_LABELS = {
    "facebook": "Facebook",
    "x": "X",
    "pinterest": "Pinterest",
    "email": "e-mail",
    "whatsapp": "WhatsApp",
    "bluesky": "Bluesky",
}
SHARE_PLATFORMS = tuple(SHARE_LABELS)


def share_links(url: str, title: str, image: str) -> str:
    u, t, i = quote(url, safe=""), quote(title, safe=""), quote(image, safe="")
    hrefs = {
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={u}",
        "x": f"https://x.com/intent/tweet?url={u}&text={t}",
        "pinterest": f"https://pinterest.com/pin/create/button/?url={u}&media={i}&description={t}",
        "email": f"mailto:?subject={t}&body={u}",
        "whatsapp": f"https://wa.me/?text={t}%20{u}",
        "bluesky": f"https://bsky.app/intent/compose?text={t}%20{u}",
    }
    items = "".join(
        f'<li><a class="share-{name}" href="{escape(hrefs[name])}" rel="noopener" '
        f'target="_blank">Del på {SHARE_LABELS[name]}</a></li>'
        for name in SHARE_PLATFORMS
    )
    return f'<ul class="share-links" aria-label="Del">{items}</ul>'


ADDTOANY = (
    '<div class="a2a_kit a2a_kit_size_32 a2a_default_style">'
    '<a class="a2a_button_facebook"></a><a class="a2a_button_x"></a>'
    '<a class="a2a_button_pinterest"></a><a class="a2a_dd" '
    'href="https://www.addtoany.com/share"></a></div>'
    '<script async src="https://static.addtoany.com/menu/page.js"></script>'
)
WEB_SHARE = (
    '<button class="share-native" type="button" data-share="native">Del</button>'
    "<script>document.querySelector('[data-share=native]').addEventListener('click',"
    "function(){if(navigator.share){navigator.share({title:document.title,"
    "url:location.href});}});</script>"
)


def share_block(mode: str, url: str, title: str, image: str) -> str:
    if mode == "links":
        return share_links(url, title, image)
    if mode == "addtoany":
        return ADDTOANY
    if mode == "web_share":
        return WEB_SHARE
    return ""


def _js(text: str) -> str:
    """A JavaScript string literal that cannot end the surrounding ``<script>``."""
    return json.dumps(text).replace("<", "\\u003c")


def disqus(url: str, identifier: str) -> str:
    return (
        '<section class="comments"><h2>Kommentarer</h2><div id="disqus_thread"></div>'
        f"<script>var disqus_config=function(){{this.page.url={_js(url)};"
        f"this.page.identifier={_js(identifier)};}};(function(){{var d=document,"
        "s=d.createElement('script');s.src='https://nordlysgoods.disqus.com/embed.js';"
        "s.setAttribute('data-timestamp',+new Date());(d.head||d.body).appendChild(s);"
        "})();</script></section>"
    )
