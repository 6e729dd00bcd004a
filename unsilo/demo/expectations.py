"""Ground truth of a demo shop: which paths carry which SEO problem or social feature.

Derived from the same feature functions the renderer uses, never from parsing the
output, so a test that parses the HTML and compares against this is a real check. All
paths are relative to the shop's base URL.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from unsilo.demo import plan as P
from unsilo.demo.catalog import DESIGNER_PROFILE, product_title
from unsilo.demo.layout import SOCIAL_PROFILES
from unsilo.demo.site import INVALID_HREFLANG
from unsilo.demo.social import SHARE_PLATFORMS

if TYPE_CHECKING:
    from unsilo.demo.shop import DemoShop


def _products(plan: P.ShopPlan) -> dict:
    og: dict[str, list[str]] = defaultdict(list)
    share: dict[str, list[str]] = defaultdict(list)
    offers: dict[str, list[str]] = defaultdict(list)
    out: dict[str, list[str]] = defaultdict(list)
    titles: dict[str, list[str]] = defaultdict(list)
    alt: dict[str, int] = {}
    for i in range(plan.products):
        f, path = P.product_features(i), plan.product_path(i)
        og[f.og].append(path)
        share[f.share].append(path)
        offers[f.offer].append(path)
        titles[product_title(plan, i)].append(path)
        if f.og != "none":
            out["product_price_meta"].append(path)
        if f.twitter:
            out["twitter_cards"].append(path)
        if not f.description:
            out["missing_description"].append(path)
        if f.title == "long":
            out["long_titles"].append(path)
        if f.h1_count == 0:
            out["missing_h1"].append(path)
        if f.h1_count > 1:
            out["multiple_h1"].append(path)
        if f.reviews:
            out["reviews"].append(path)
        if f.images_missing_alt:
            alt[path] = f.images_missing_alt
        if f.designer:
            out["designer_profile"].append(path)
    return {
        "og": dict(og),
        "share": dict(share),
        # JSON-LD offers: valid | broken (Google cannot read price, currency, availability;
        # the script is wrapped in <!-- //-->) | stale_og (og price differs from the offer)
        "product_offers": dict(offers),
        "duplicate_titles": {t: ps for t, ps in titles.items() if len(ps) > 1},
        "images_missing_alt": alt,
        **out,
    }


def _articles(plan: P.ShopPlan) -> dict:
    out: dict[str, list[str]] = defaultdict(list)
    for j in range(plan.articles):
        f, path = P.article_features(j), plan.article_path(j)
        out["og_complete" if f.og_complete else "og_none"].append(path)
        out[f"share_{f.share}"].append(path)
        if f.twitter:
            out["twitter_cards"].append(path)
        if f.disqus:
            out["comments_disqus"].append(path)
    return dict(out)


def build_expectations(shop: DemoShop) -> dict:
    plan = shop.plan
    first_category = plan.category_path(0)
    products, articles = _products(plan), _articles(plan)
    broken_from = [plan.product_path(i) for i in range(plan.products) if i % 50 == 1]
    sections = {
        "home": 1,
        "category": sum(plan.category_pages(c) for c in range(plan.categories)) + P.OUTLET_PAGES,
        "product": plan.products,
        "article": plan.articles,
        "other": len(P.FIXED_PAGES) - 1,
    }
    og = {k: list(v) for k, v in products.pop("og").items()}
    og["complete"] = [P.HOME, *og.get("complete", []), *articles.get("og_complete", [])]
    og["complete"] += [plan.category_path(c) for c in range(-1, plan.categories)]
    share = products.pop("share")
    designer = products.pop("designer_profile", [])
    for mode in P.SHARE_MODES:
        share[mode] = share.get(mode, []) + articles.get(f"share_{mode}", [])
    return {
        "pages": shop.pages,
        "seed": shop.seed,
        "sections": sections,
        "counts": {
            "categories": plan.categories,
            "products": plan.products,
            "articles": plan.articles,
        },
        "noindex_meta": [P.WISHLIST],
        "noindex_header": [P.TERMS],
        "redirect_chains": {
            P.REDIRECT_START: {
                "hops": [[P.REDIRECT_START, 301], [P.REDIRECT_MIDDLE, 302]],
                "final": first_category,
                "final_status": 200,
            },
            P.REDIRECT_TO_404: {
                "hops": [[P.REDIRECT_TO_404, 301]],
                "final": P.MISSING_TARGET,
                "final_status": 404,
            },
        },
        "server_errors": [P.SERVER_ERROR],
        "broken_links": {  # 404 target → pages linking to it
            P.BROKEN_TARGETS[0]: [P.ABOUT],
            P.BROKEN_TARGETS[1]: [P.HOME, *broken_from],
            P.BROKEN_TARGETS[2]: [plan.article_path(0)],
        },
        "non_html": {P.CATALOGUE_PDF: "application/pdf"},
        "javascript_links": [P.HOME],
        "tracking_links": {P.HOME: plan.product_path(0)},  # links with utm_* parameters
        "no_lang": [P.SHIPPING],
        "canonical_elsewhere": {P.SALE: first_category},
        "invalid_hreflang": {P.ABOUT: [INVALID_HREFLANG]},
        "windows_1252": [P.ABOUT_DA],
        "orphans": [P.LANDING],
        "deep_pages": {plan.category_path(-1, P.OUTLET_PAGES): P.OUTLET_PAGES},
        "hostile_title": {plan.product_path(P.HOSTILE_PRODUCT): P.HOSTILE_NAME},
        "og": og,
        "share": share,
        # share images under 1200x630: the journal's 1x1 placeholder (shop.py serves product,
        # category and home images share-sized)
        "small_og_images": list(articles.get("og_complete", [])),
        "share_link_platforms": list(SHARE_PLATFORMS),  # on every page of share["links"]
        "twitter_cards": [
            P.HOME,
            *products.pop("twitter_cards", []),
            *articles.get("twitter_cards", []),
        ],
        "comments_disqus": articles.get("comments_disqus", []),
        "aggregate_rating": list(products.get("reviews", [])),
        "social_profiles": dict(SOCIAL_PROFILES),
        "same_as": {P.HOME: list(SOCIAL_PROFILES.values())},
        "rel_me": SOCIAL_PROFILES["mastodon"],
        # linked from these pages only (one product): not the shop's, so never audited
        "designer_profile": {DESIGNER_PROFILE: designer},
        "sitemap": {"index": "/sitemap.xml", "children": shop.sitemap_count(), "urls": shop.pages},
        **products,
    }
