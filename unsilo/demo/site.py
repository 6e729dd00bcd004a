"""Editorial and service pages of the demo shop: home, journal, about, and the special cases.

Each fixed page carries one deliberate SEO problem (see ``plan``), so the auditor's findings
can be checked against a known answer.
"""

from __future__ import annotations

from html import escape

from unsilo.demo import plan as P
from unsilo.demo.catalog import product_card
from unsilo.demo.layout import SHOP_NAME, SOCIAL_PROFILES, Chrome, head, json_ld, page
from unsilo.demo.social import disqus, open_graph, share_block, twitter_card
from unsilo.demo.words import rng_for

HOME_TITLE = f"{SHOP_NAME} – nordisk design til hjemmet"
INVALID_HREFLANG = "en_UK"
HOME_FEATURED = 12


def _paragraphs(pool: tuple[str, ...], salt: int, seed: int, k: int) -> str:
    rng = rng_for(seed, 13, salt)
    return "".join(f"<p>{escape(p)}</p>" for p in rng.sample(pool, k))


def _category_items(plan: P.ShopPlan, chrome: Chrome, count: int) -> str:
    return "".join(
        f'<li><a href="{chrome.url(plan.category_path(c))}">{escape(plan.category(c).name)}'
        "</a></li>"
        for c in range(count)
    )


def render_home(plan: P.ShopPlan, chrome: Chrome, pool: tuple[str, ...]) -> str:
    image = chrome.url("/images/forside.jpg")
    description = "Håndlavede lamper, tekstiler og keramik fra Aarhus. Fri fragt over 499 kr."
    meta = open_graph(
        "complete",
        title=SHOP_NAME,
        og_type="website",
        url=chrome.url("/"),
        image=image,
        description=description,
    )
    meta += twitter_card(SHOP_NAME, description, image)
    org = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": SHOP_NAME,
        "url": chrome.url("/"),
        "logo": chrome.url("/images/logo.png"),
        "sameAs": list(SOCIAL_PROFILES.values()),
    }
    site = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": SHOP_NAME,
        "url": chrome.url("/"),
    }
    extra = f'<link rel="me" href="{SOCIAL_PROFILES["mastodon"]}">' + json_ld(org) + json_ld(site)
    featured = range(0, min(plan.products, HOME_FEATURED))
    cards = "".join(product_card(plan, chrome, i) for i in featured)
    cats = _category_items(plan, chrome, min(plan.categories, 12))
    articles = "".join(
        f'<li><a href="{chrome.url(plan.article_path(j))}">{escape(plan.article_title(j))}</a></li>'
        for j in range(min(plan.articles, 4))
    )
    main = (
        f"<h1>{SHOP_NAME}</h1>{_paragraphs(pool, 0, plan.seed, 2)}"
        f'<p><a href="{chrome.url(P.REDIRECT_START)}">Sommerkampagne</a> · '
        f'<a href="{chrome.url(plan.product_path(0))}?utm_source=forside&amp;utm_medium=hero">'
        "Ugens produkt</a> · "
        f'<a href="{chrome.url(P.BROKEN_TARGETS[1])}">Den klassiske lampe</a> · '
        '<a href="javascript:void(0)" data-chat="open">Chat med os</a></p>'
        f"<section><h2>Kategorier</h2><ul>{cats}</ul></section>"
        f'<section><h2>Populære produkter</h2><ul class="product-grid">{cards}</ul></section>'
        f"<section><h2>Fra journalen</h2><ul>{articles}</ul></section>"
    )
    return page(
        chrome, head(chrome, HOME_TITLE, "/", description=description, meta=meta, extra=extra), main
    )


def render_article(plan: P.ShopPlan, chrome: Chrome, pool: tuple[str, ...], j: int) -> str:
    f = P.article_features(j)
    title = plan.article_title(j)
    path = plan.article_path(j)
    url, image = chrome.url(path), chrome.url(f"/images/journal-{j}.jpg")
    summary = f"{title}: råd og inspiration fra værkstedet hos {SHOP_NAME}."
    meta = []
    if f.og_complete:
        meta = open_graph(
            "complete", title=title, og_type="article", url=url, image=image, description=summary
        )
        meta.append(("property", "article:published_time", f"2025-{j % 12 + 1:02d}-15T08:00:00Z"))
    if f.twitter:
        meta += twitter_card(title, summary, image)
    ld = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": title,
        "image": image,
        "author": {"@type": "Organization", "name": SHOP_NAME},
    }
    picks = [rng_for(plan.seed, 17, j).randrange(plan.products) for _ in range(4)]
    products = "".join(product_card(plan, chrome, i) for i in picks)
    main = (
        f'<article class="journal"><h1>{escape(title)}</h1>'
        f"{_paragraphs(pool, 100 + j, plan.seed, 7)}"
        f'<img src="{image}" alt="{escape(title)}" width="1200" height="630">'
        f"{_paragraphs(pool, 200 + j, plan.seed, 5)}"
        f'<section class="shop-the-look"><h2>Produkter i artiklen</h2><ul>{products}</ul></section>'
        f"{share_block(f.share, url, title, image)}"
        + (
            f'<p><a href="{chrome.url(P.BROKEN_TARGETS[2])}">Læs efterårsguiden</a></p>'
            if f.broken_link
            else ""
        )
        + (disqus(url, f"journal-{j}") if f.disqus else "")
        + "</article>"
    )
    return page(
        chrome,
        head(
            chrome,
            f"{title} | {SHOP_NAME}",
            path,
            description=summary,
            meta=meta,
            extra=json_ld(ld),
        ),
        main,
    )


def render_blog(plan: P.ShopPlan, chrome: Chrome, pool: tuple[str, ...]) -> str:
    items = "".join(
        f'<li><a href="{chrome.url(plan.article_path(j))}">{escape(plan.article_title(j))}</a></li>'
        for j in range(plan.articles)
    )
    main = f'<h1>Journal</h1>{_paragraphs(pool, 1, plan.seed, 1)}<ul class="journal">{items}</ul>'
    return page(
        chrome,
        head(
            chrome,
            f"Journal | {SHOP_NAME}",
            P.BLOG,
            description="Guides, pleje og historier fra værkstedet.",
        ),
        main,
    )


def render_categories(plan: P.ShopPlan, chrome: Chrome, pool: tuple[str, ...]) -> str:
    items = _category_items(plan, chrome, plan.categories)
    main = f'<h1>Alle kategorier</h1><ul class="categories">{items}</ul>'
    return page(
        chrome,
        head(
            chrome,
            f"Alle kategorier | {SHOP_NAME}",
            P.CATEGORIES,
            description="Alle kategorier hos Nordlys Goods.",
        ),
        main,
    )


def _simple(
    plan: P.ShopPlan,
    chrome: Chrome,
    pool: tuple[str, ...],
    path: str,
    title: str,
    salt: int,
    *,
    description: str,
    more: str = "",
    head_extra: str = "",
    canonical: str | None = None,
    lang: str | None = "da",
    charset: str = "utf-8",
) -> str:
    """A text page; the keyword arguments switch on its one deliberate defect."""
    main = f"<h1>{escape(title)}</h1>{_paragraphs(pool, salt, plan.seed, 3)}{more}"
    head_html = head(
        chrome,
        f"{title} | {SHOP_NAME}",
        path,
        description=description,
        extra=head_extra,
        canonical=canonical,
        charset=charset,
    )
    return page(chrome, head_html, main, lang=lang)


NOINDEX = '<meta name="robots" content="noindex, follow">'


def render_fixed(plan: P.ShopPlan, chrome: Chrome, pool: tuple[str, ...], path: str) -> str:
    """Fixed text pages (not home/journal/categories), each with its one deliberate defect."""
    u = chrome.url
    if path == P.ABOUT:
        hreflang = "".join(
            f'<link rel="alternate" hreflang="{code}" href="{u(P.ABOUT)}">'
            for code in ("da-DK", INVALID_HREFLANG, "x-default")
        )
        more = f'<p>Læs vores <a href="{u(P.BROKEN_TARGETS[0])}">pressemeddelelser</a>.</p>'
        page_kw = dict(description="Historien om Nordlys Goods.", head_extra=hreflang, more=more)
        return _simple(plan, chrome, pool, path, "Om Nordlys Goods", 2, **page_kw)
    if path == P.CONTACT:
        more = (
            f'<p><a href="{u(P.SERVER_ERROR)}">Se status på din ordre</a> · '
            f'<a href="{u(P.REDIRECT_TO_404)}">Vores gamle kontaktside</a> · '
            '<a href="mailto:hej@nordlysgoods.example">hej@nordlysgoods.example</a></p>'
        )
        return _simple(plan, chrome, pool, path, "Kontakt os", 3, description="Ring.", more=more)
    if path == P.WISHLIST:
        desc = "Din personlige ønskeliste."
        return _simple(
            plan, chrome, pool, path, "Ønskeliste", 4, description=desc, head_extra=NOINDEX
        )
    if path == P.TERMS:  # noindex comes as an X-Robots-Tag header (see shop.py)
        desc = "Betingelser for køb hos Nordlys Goods."
        return _simple(plan, chrome, pool, path, "Handelsbetingelser", 5, description=desc)
    if path == P.SHIPPING:
        desc = "Levering med GLS og PostNord."
        return _simple(plan, chrome, pool, path, "Levering", 6, description=desc, lang=None)
    if path == P.SALE:
        canonical = u(plan.category_path(0))
        desc = "Spar op til 40 %."
        return _simple(plan, chrome, pool, path, "Udsalg", 7, description=desc, canonical=canonical)
    if path == P.LANDING:
        desc = "Sommerens kollektion."
        return _simple(plan, chrome, pool, path, "Sommer hos Nordlys", 8, description=desc)
    raise KeyError(path)


def render_about_da(plan: P.ShopPlan, chrome: Chrome, pool: tuple[str, ...]) -> str:
    """Rendered as text here; the shop encodes it as windows-1252 (“curly quotes”, €, æøå)."""
    more = "<p>“Vi tror på ting, der holder” – priser fra 99 € til 2.499 €. Åbent hver dag.</p>"
    desc = "Værksted i Aarhus, født i 2011."
    return _simple(
        plan, chrome, pool, P.ABOUT_DA, "Om Nordlys på dansk", 9,
        description=desc, more=more, charset="windows-1252",
    )  # fmt: skip
