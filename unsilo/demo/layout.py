"""The page chrome every demo page shares: head, mega-menu, footer, inline CSS and scripts.

Built once per ``(shop, base_url)`` and reused, so rendering a page only formats its own
content. The inline CSS and script give pages the weight of a real shop (tens of KB), which
the crawl benchmark needs to be realistic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from unsilo.demo import plan as P

SHOP_NAME = "Nordlys Goods"
SOCIAL_PROFILES: dict[str, str] = {
    "bluesky": "https://bsky.app/profile/nordlysgoods.example",
    "mastodon": "https://mastodon.social/@nordlysgoods",
    "youtube": "https://www.youtube.com/@nordlysgoods",
    "instagram": "https://www.instagram.com/nordlysgoods/",
    "facebook": "https://www.facebook.com/nordlysgoods",
    "pinterest": "https://www.pinterest.com/nordlysgoods/",
}
PROFILE_NAMES = {"youtube": "YouTube"}
"""Link texts that are not just the capitalised platform name."""
REL_ME = ' rel="me"'
NAV_CATEGORIES = 8
MENU_PRODUCTS = 5


def _css() -> str:
    rules = [
        ":root{--ink:#1d2327;--paper:#fbfaf7;--accent:#2f5d62;--muted:#6b7378}",
        "body{margin:0;font-family:system-ui,sans-serif;color:var(--ink);background:var(--paper)}",
    ]
    for name in ("header", "nav", "main", "footer", "section", "article", "aside"):
        rules.append(f".site-{name}{{display:block;max-width:1280px;margin:0 auto;padding:1rem}}")
    for size in range(96):
        rules.append(f".m-{size}{{margin:{size / 4}rem}}.p-{size}{{padding:{size / 4}rem}}")
        rules.append(f".gap-{size}{{gap:{size / 4}rem}}.w-{size}{{width:{size * 4}%}}")
    for bp, width in (("sm", 640), ("md", 768), ("lg", 1024), ("xl", 1280)):
        rules.append(
            f"@media (min-width:{width}px){{.{bp}-grid{{display:grid;"
            f"grid-template-columns:repeat(4,1fr)}}.{bp}-hide{{display:none}}}}"
        )
    return "\n".join(rules)


def _app_script() -> str:
    handlers = []
    for name in ("cart", "wishlist", "search", "menu", "newsletter", "gallery", "variants"):
        handlers.append(
            f"function init_{name}(root){{const els=root.querySelectorAll('[data-{name}]');"
            f"els.forEach(function(el){{el.addEventListener('click',function(ev){{"
            f"ev.preventDefault();window.nordlys.track('{name}',el.dataset.{name});"
            f"el.classList.toggle('is-active');}});}});return els.length;}}"
        )
    return (
        "window.nordlys={queue:[],track:function(e,d){this.queue.push([e,d,Date.now()]);}};\n"
        + "\n".join(handlers) * 5
        + "\ndocument.addEventListener('DOMContentLoaded',function(){init_cart(document);});"
    )


CSS = _css()
APP_SCRIPT = _app_script()
ICONS = "".join(
    f'<symbol id="i-{name}" viewBox="0 0 24 24"><path d="M{n} 2l{n % 7} 9h9l-7 5 3 {n % 5}'
    f'-8-6-8 6 3-9-7-5h9z"/></symbol>'
    for n, name in enumerate(("cart", "heart", "search", "user", "menu", "star", "truck", "leaf"))
)


def json_ld(data: object, *, comment_wrapped: bool = False) -> str:
    """A JSON-LD script whose text cannot close the tag early, whatever the crawled data says.

    ``comment_wrapped`` hides it in ``<!-- … //-->`` as old shop templates do: not JSON,
    yet readers (extruct, unsilo) read it leniently and say so."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if comment_wrapped:
        text = f"<!--\n{text}\n//-->"
    return f'<script type="application/ld+json">{text}</script>'


@dataclass(frozen=True)
class Chrome:
    """Pre-rendered shared fragments for one base URL."""

    base: str  # base URL without trailing slash
    header: str
    footer: str

    def url(self, path: str) -> str:
        return self.base + path


def build_chrome(plan: P.ShopPlan, base_url: str) -> Chrome:
    base = base_url.rstrip("/")
    menu = []
    for c in range(min(NAV_CATEGORIES, plan.categories)):
        cat = plan.category(c)
        items = "".join(
            f'<li><a href="{base}{plan.product_path(i)}">{escape(plan.product_name(i))}</a></li>'
            for i in range(
                c, min(plan.products, c + MENU_PRODUCTS * plan.categories), plan.categories
            )
        )
        menu.append(
            f'<li class="menu-cat"><a href="{base}{plan.category_path(c)}">{escape(cat.name)}</a>'
            f'<ul class="menu-popular" data-menu="{cat.slug}">{items}</ul></li>'
        )
    header = (
        f'<header class="site-header"><a class="logo" href="{base}/">{SHOP_NAME}</a>'
        f'<form class="search" action="{base}/search" role="search"><input name="q" '
        'aria-label="Søg"><button><svg><use href="#i-search"/></svg></button></form>'
        f'<nav class="site-nav" aria-label="Hovedmenu"><ul>{"".join(menu)}'
        f'<li><a href="{base}{P.CATEGORIES}">Alle kategorier</a></li>'
        f'<li><a href="{base}{plan.category_path(-1)}">Outlet</a></li>'
        f'<li><a href="{base}{P.BLOG}">Journal</a></li>'
        f'<li><a href="{base}{P.ABOUT}">Om os</a></li>'
        f'<li><a href="{base}{P.CONTACT}">Kontakt</a></li>'
        f'<li><a href="{base}{P.WISHLIST}" data-wishlist="open">Ønskeliste</a></li>'
        "</ul></nav></header>"
    )
    profiles = "".join(
        f'<li><a href="{url}"{REL_ME if name == "mastodon" else ""} '
        f'class="social-{name}">{PROFILE_NAMES.get(name, name.capitalize())}</a></li>'
        for name, url in SOCIAL_PROFILES.items()
    )
    footer = (
        '<footer class="site-footer"><div class="md-grid gap-8">'
        f"<section><h2>{SHOP_NAME}</h2><p>Nordisk design til hverdagen siden 2011. "
        "Værksted og butik i Aarhus C.</p></section>"
        f'<section><h2>Kundeservice</h2><ul><li><a href="{base}{P.SHIPPING}">Levering</a></li>'
        f'<li><a href="{base}{P.TERMS}">Handelsbetingelser</a></li>'
        f'<li><a href="{base}{P.ABOUT_DA}">Om Nordlys (dansk)</a></li>'
        f'<li><a href="{base}{P.SALE}">Udsalg</a></li>'
        f'<li><a href="{base}{P.CATALOGUE_PDF}">Katalog 2025 (PDF)</a></li></ul></section>'
        f'<section><h2>Følg os</h2><ul class="social-profiles">{profiles}</ul></section>'
        '<section><h2>Nyhedsbrev</h2><form data-newsletter="footer"><input type="email" '
        'name="email" aria-label="E-mail"><button>Tilmeld</button></form></section></div>'
        f"<p>© 2025 {SHOP_NAME} ApS · CVR 12345678</p></footer>"
        f'<svg style="display:none">{ICONS}</svg><script>{APP_SCRIPT}</script>'
    )
    return Chrome(base, header, footer)


def head(
    chrome: Chrome,
    title: str,
    path: str,
    *,
    description: str | None,
    meta: list[tuple[str, str, str]] = (),  # (attribute, name, content)
    extra: str = "",
    canonical: str | None = None,
    charset: str = "utf-8",
) -> str:
    """The ``<head>``: title, description, canonical, social meta; all values escaped."""
    parts = [f'<meta charset="{charset}">', f"<title>{escape(title)}</title>"]
    parts.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    if description is not None:
        parts.append(f'<meta name="description" content="{escape(description)}">')
    parts.append(f'<link rel="canonical" href="{escape(canonical or chrome.url(path))}">')
    for attr, name, content in meta:
        parts.append(f'<meta {attr}="{escape(name)}" content="{escape(content)}">')
    parts.append(extra)
    parts.append(f"<style>{CSS}</style>")
    return f"<head>{''.join(parts)}</head>"


def page(chrome: Chrome, head_html: str, main: str, lang: str | None = "da") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html>\n<html{lang_attr}>{head_html}<body>{chrome.header}"
        f'<main class="site-main">{main}</main>{chrome.footer}</body></html>'
    )
