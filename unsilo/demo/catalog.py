"""Catalogue pages of the demo shop: product pages (the bulk) and category listings.

Every text that reaches the HTML goes through ``html.escape`` (or ``json_ld``): the shop
carries a product whose name is a script tag, and it must stay text.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from html import escape

from unsilo.demo import plan as P
from unsilo.demo.layout import SHOP_NAME, Chrome, head, json_ld, page
from unsilo.demo.social import open_graph, share_block, twitter_card
from unsilo.demo.words import COLOURS, MATERIALS, mix, product_colour, rng_for

DUPLICATE_TITLE = f"Køb nordisk design online | {SHOP_NAME}"
LONG_TITLE_TAIL = "håndlavet i Danmark af bæredygtige materialer – fri fragt over 499 kr."
REVIEWERS = ("Mette", "Søren", "Anne", "Jens", "Camilla", "Lars", "Ida", "Mikkel", "Freja")
RELATED = 12
GALLERY = 4
# A profile linked once, from one product page: the designer's, which the shop does not claim.
DESIGNER_NAME = "Astrid Holm"
DESIGNER_PROFILE = "https://bsky.app/profile/astrid-holm.example"


def sku(i: int) -> str:
    return f"NG{i:06d}"


def price(seed: int, i: int) -> str:
    return f"{99 + (mix(seed, 3, i) % 240) * 10}.00"


def product_title(plan: P.ShopPlan, i: int) -> str:
    mode = P.product_features(i).title
    if mode == "duplicate":
        return DUPLICATE_TITLE
    name = plan.product_name(i)
    if mode == "long":
        return f"{name} – {LONG_TITLE_TAIL} | {SHOP_NAME}"
    return f"{name} – {sku(i)} | {SHOP_NAME}"


def product_image(chrome: Chrome, i: int, k: int = 1) -> str:
    return chrome.url(f"/images/product-{i}-{k}.jpg")


def product_card(plan: P.ShopPlan, chrome: Chrome, i: int) -> str:
    name = escape(plan.product_name(i))
    href = chrome.url(plan.product_path(i))
    img = product_image(chrome, i)
    return (
        f'<li class="card" data-cart="{sku(i)}"><a href="{href}"><img src="{img}" '
        f'srcset="{img}?w=320 320w, {img}?w=640 640w, {img}?w=960 960w" sizes="(min-width:768px)'
        f' 25vw, 50vw" alt="{name}" loading="lazy" width="320" height="320"><span class="name">'
        f'{name}</span></a><span class="price">{price(plan.seed, i)} kr.</span>'
        f'<button data-cart="{sku(i)}"><svg><use href="#i-cart"/></svg> Læg i kurv</button></li>'
    )


def _reviews(rng: random.Random, name: str) -> tuple[str, list[dict], float]:
    ratings = [rng.randint(3, 5) for _ in range(rng.randint(3, 6))]
    html, data = [], []
    for r in ratings:
        who = rng.choice(REVIEWERS)
        text = f"{rng.choice(('Rigtig fin', 'Smuk', 'God kvalitet', 'Som forventet'))}: {name}."
        html.append(
            f'<li class="review"><span class="stars" aria-label="{r} af 5">{"★" * r}</span>'
            f"<b>{escape(who)}</b><p>{escape(text)}</p></li>"
        )
        data.append(
            {
                "@type": "Review",
                "author": {"@type": "Person", "name": who},
                "reviewRating": {"@type": "Rating", "ratingValue": r},
                "reviewBody": text,
            }
        )
    section = f'<section class="reviews"><h2>Anmeldelser</h2><ul>{"".join(html)}</ul></section>'
    return section, data, round(sum(ratings) / len(ratings), 1)


def render_product(plan: P.ShopPlan, chrome: Chrome, pool: tuple[str, ...], i: int) -> str:
    f = plan.product_features(i)
    rng = rng_for(plan.seed, 11, i)
    c = i % plan.categories
    cat = plan.category(c)
    name = plan.product_name(i)
    path = plan.product_path(i)
    url, image, amount = chrome.url(path), product_image(chrome, i), price(plan.seed, i)
    colour, material = product_colour(plan.seed, i), rng.choice(MATERIALS)
    summary = f"{name} i {material}. Designet i Aarhus, fri fragt over 499 kr."
    meta = open_graph(
        f.og,
        title=name,
        og_type="product",
        url=url,
        image=image,
        description=summary,
        price=None if f.og == "none" else amount,
    )
    if f.twitter:
        meta += twitter_card(name, summary, image)

    gallery = "".join(
        f'<img src="{product_image(chrome, i, k)}" width="800" height="800"'
        + ("" if k <= f.images_missing_alt else f' alt="{escape(name)} – billede {k}"')
        + ">"
        for k in range(1, GALLERY + 1)
    )
    crumbs = [(SHOP_NAME, chrome.url("/")), (cat.name, chrome.url(plan.category_path(c)))]
    h1 = "".join(f"<h1>{escape(name)}</h1>" for _ in range(f.h1_count))
    body = [
        '<nav class="breadcrumbs">'
        + " › ".join(f'<a href="{u}">{escape(n)}</a>' for n, u in crumbs)
        + f" › <span>{escape(name)}</span></nav>",
        f'<article class="product" data-variants="{sku(i)}">{h1}',
        f'<div class="gallery" data-gallery="{sku(i)}">{gallery}</div>',
        f'<p class="price">{shown_price(f.offer, amount)} kr.</p>'
        f'<p class="stock">{rng.randint(0, 40)} på lager</p>',
        f'<button data-cart="{sku(i)}">Læg i kurv</button>',
        share_block(f.share, url, name, image),
        "<h2>Beskrivelse</h2>",
        "".join(f"<p>{escape(p)}</p>" for p in rng.sample(pool, 8)),
        "<h2>Materialer og pleje</h2>",
        "".join(f"<p>{escape(p)}</p>" for p in rng.sample(pool, 5)),
        f'<table class="specs"><tr><th>Varenummer</th><td>{sku(i)}</td></tr>'
        f"<tr><th>Farve</th><td>{escape(colour)}</td></tr><tr><th>Materiale</th>"
        f"<td>{escape(material)}</td></tr><tr><th>Mål</th><td>{rng.randint(10, 120)} cm</td></tr>"
        "</table>",
    ]
    if f.designer:
        body.append(
            f'<p class="designer">Designet af <a href="{DESIGNER_PROFILE}">{DESIGNER_NAME}</a></p>'
        )
    if f.broken_link:
        body.append(
            f'<p>Se også <a href="{chrome.url(P.BROKEN_TARGETS[1])}">den udgåede model</a></p>'
        )
    product_ld = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "sku": sku(i),
        "image": [image],
        "description": summary,
        "brand": {"@type": "Brand", "name": SHOP_NAME},
        "offers": _offer(f.offer, amount, url),
    }
    if f.reviews:
        section, reviews, avg = _reviews(rng, name)
        body.append(section)
        product_ld["review"] = reviews
        product_ld["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": avg,
            "reviewCount": len(reviews),
        }
    related = [rng.randrange(plan.products) for _ in range(RELATED)]
    related += [j for j in (i - plan.categories, i + plan.categories) if 0 <= j < plan.products]
    cards = "".join(product_card(plan, chrome, j) for j in dict.fromkeys(related) if j != i)
    body.append(
        f'<section class="related"><h2>Andre kiggede også på</h2><ul>{cards}</ul></section>'
    )
    body.append("</article>")
    variants = [
        {"sku": f"{sku(i)}-{k}", "colour": col, "price": amount, "stock": rng.randint(0, 9)}
        for k, col in enumerate(rng.sample(COLOURS, 10))
    ]
    body.append(f'<script type="application/json" id="variants">{json.dumps(variants)}</script>')
    breadcrumb_ld = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n + 1, "name": label, "item": u}
            for n, (label, u) in enumerate(crumbs)
        ],
    }
    head_html = head(
        chrome,
        product_title(plan, i),
        path,
        description=summary if f.description else None,
        meta=meta,
        extra=json_ld(product_ld, comment_wrapped=f.offer == "broken") + json_ld(breadcrumb_ld),
    )
    return page(chrome, head_html, "".join(body))


def _offer(mode: str, amount: str, url: str) -> dict:
    """The product's JSON-LD offer: valid; ``broken`` as a Danish template writes it (price
    with a decimal comma and the currency in the text, stock in Danish); ``stale_og`` at
    the sale price the page shows while og:price still says ``amount``."""
    if mode == "broken":
        danish = f"{amount.replace('.', ',')} kr."
        return {"@type": "Offer", "price": danish, "availability": "på lager"}
    return {
        "@type": "Offer",
        "price": shown_price(mode, amount),
        "priceCurrency": "DKK",
        "url": url,
        "availability": "https://schema.org/InStock",
    }


def shown_price(mode: str, amount: str) -> str:
    """The price the page shows: 20 % off for the product whose og:price went stale."""
    return f"{Decimal(amount) * Decimal('0.8'):.2f}" if mode == "stale_og" else amount


def _pager(plan: P.ShopPlan, chrome: Chrome, c: int, current: int, last: int, window: bool) -> str:
    """Numbered pagination (prev/next, first/last, ±2) or, for the outlet, prev/next only."""
    numbers = {current - 1, current + 1}
    if window:
        numbers |= {1, last} | set(range(current - 2, current + 3))
    links = "".join(
        f'<a href="{chrome.url(plan.category_path(c, n))}"'
        + (' aria-current="page"' if n == current else "")
        + f">{'Næste' if n == current + 1 and not window else n}</a>"
        for n in sorted(numbers)
        if 1 <= n <= last and (window or n != current)
    )
    return f'<nav class="pagination" aria-label="Sider">{links}</nav>'


def render_listing(plan: P.ShopPlan, chrome: Chrome, pool: tuple[str, ...], c: int, n: int) -> str:
    """Category listing page ``n`` of category ``c`` (``c == -1`` is the outlet)."""
    outlet = c < 0
    last = P.OUTLET_PAGES if outlet else plan.category_pages(c)
    name = "Outlet" if outlet else plan.category(c).name
    products = plan.outlet_products(n) if outlet else plan.category_products(c, n)
    path = plan.category_path(c, n)
    title = f"{name} – side {n} | {SHOP_NAME}" if n > 1 else f"{name} | {SHOP_NAME}"
    intro = pool[mix(plan.seed, 5, c) % len(pool)]
    meta = []
    if n == 1:
        image = chrome.url(f"/images/category-{c}.jpg")
        meta = open_graph(
            "complete",
            title=name,
            og_type="website",
            url=chrome.url(path),
            image=image,
            description=intro[:150],
        )
    links = ""
    if n > 1:
        links += f'<link rel="prev" href="{chrome.url(plan.category_path(c, n - 1))}">'
    if n < last:
        links += f'<link rel="next" href="{chrome.url(plan.category_path(c, n + 1))}">'
    cards = "".join(product_card(plan, chrome, i) for i in products)
    main = (
        f'<h1>{escape(name)}</h1><p class="intro">{escape(intro)}</p>'
        f'<ul class="product-grid md-grid">{cards}</ul>'
        f"{_pager(plan, chrome, c, n, last, window=not outlet)}"
    )
    head_html = head(chrome, title, path, description=intro[:155], meta=meta, extra=links)
    return page(chrome, head_html, main)
