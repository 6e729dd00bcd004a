"""The URL plan of the demo shop: how many pages of each kind, and which path is which.

The plan is a handful of integers, so a 100,000-page shop costs nothing to hold; every
path maps back to ``(kind, index)`` arithmetically. Which SEO and social features a page
has is a pure function of its index (``product_features``), so rendering and the ground
truth in ``build_expectations()`` can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from unsilo.demo.words import BASE_CATEGORIES, Category, article_title, product_name, slugify

MIN_PAGES, MAX_PAGES = 30, 100_000
PER_PAGE = 24  # products per category listing page
OUTLET_PAGES = 6  # prev/next-only pagination: the last outlet page sits at depth 6
OUTLET_PER_PAGE = 3

# Fixed HTML pages (all 200 text/html) and what is special about them.
HOME, ABOUT, CONTACT, BLOG, CATEGORIES = "/", "/about", "/contact", "/blog", "/categories"
WISHLIST = "/wishlist"  # meta noindex, linked from the nav, listed in the sitemap
TERMS = "/terms"  # X-Robots-Tag: noindex header
ABOUT_DA = "/da/om-os"  # windows-1252 encoded
SHIPPING = "/shipping"  # no lang attribute
SALE = "/sale"  # canonical points to the first category
LANDING = "/landing/sommer"  # orphan: only in the sitemap
FIXED_PAGES = (
    HOME, ABOUT, CONTACT, BLOG, CATEGORIES, WISHLIST, TERMS, ABOUT_DA, SHIPPING, SALE, LANDING,
)  # fmt: skip

# Non-200 or non-HTML paths (not in ``paths()``, but served).
REDIRECT_START, REDIRECT_MIDDLE = "/kampagne", "/kampagne/2025"  # 301 → 302 → first category
REDIRECT_TO_404, MISSING_TARGET = "/gammel-side", "/findes-ikke"  # 301 → 404
SERVER_ERROR = "/ordre/status"  # 500
CATALOGUE_PDF = "/katalog-2025.pdf"
BROKEN_TARGETS = ("/presse", "/produkt/udgaaet-lampe", "/blog/udkast-efteraar")
OUTLET = "outlet"

_PAGED = re.compile(r"^/category/([a-z0-9-]+)(?:/page/([1-9][0-9]*))?$")
_PRODUCT = re.compile(r"^/product/([a-z0-9-]+)-(0|[1-9][0-9]*)$")
_ARTICLE = re.compile(r"^/blog/([a-z0-9-]+)-(0|[1-9][0-9]*)$")


class ProductFeatures(NamedTuple):
    """What one product page has; cycles of coprime-ish lengths give every mix at 8 products."""

    og: str  # complete | missing_image | relative_image | url_mismatch | none
    twitter: bool
    share: str  # links | addtoany | web_share | none
    title: str  # normal | duplicate | long
    description: bool
    h1_count: int
    images_missing_alt: int
    reviews: bool
    broken_link: bool
    hostile: bool
    designer: bool  # links its designer's own social profile: someone else's, not the shop's
    offer: str  # valid | broken (price "1.299,00 kr.", no currency) | stale_og (og price old)


OG_MODES = ("complete", "complete", "missing_image", "relative_image", "url_mismatch", "none")
SHARE_MODES = ("links", "addtoany", "web_share", "none")
HOSTILE_PRODUCT = 2
HOSTILE_NAME = '<script>alert(1)</script> Lanterne & "Co"'
DESIGNER_PRODUCT = 1
BROKEN_OFFER_PRODUCT = 3  # its JSON-LD offer breaks Google's rules, inside <!-- … -->
STALE_OG_PRICE_PRODUCT = 4  # on sale: the JSON-LD offer has the new price, og the old one


def product_features(i: int) -> ProductFeatures:
    title = "duplicate" if i % 16 in (3, 7) else "long" if i % 8 == 5 else "normal"
    return ProductFeatures(
        og=OG_MODES[i % 6],
        twitter=i % 3 == 0,
        share=SHARE_MODES[i % 4],
        title=title,
        description=i % 5 != 2,
        h1_count=0 if i % 9 == 4 else 2 if i % 9 == 6 else 1,
        images_missing_alt=2 if i % 4 == 1 else 0,
        reviews=i % 3 == 0,
        broken_link=i % 50 == 1,
        hostile=i == HOSTILE_PRODUCT,
        designer=i == DESIGNER_PRODUCT,
        offer={BROKEN_OFFER_PRODUCT: "broken", STALE_OG_PRICE_PRODUCT: "stale_og"}.get(i, "valid"),
    )


class ArticleFeatures(NamedTuple):
    og_complete: bool
    twitter: bool
    share: str
    disqus: bool
    broken_link: bool


def article_features(j: int) -> ArticleFeatures:
    return ArticleFeatures(
        og_complete=j % 2 == 0,
        twitter=j % 2 == 1,
        share=SHARE_MODES[j % 4],
        disqus=j % 2 == 0,
        broken_link=j == 0,
    )


class Route(NamedTuple):
    kind: str  # fixed | category | outlet | product | article
    index: int  # category/product/article index, or 0
    page: int  # listing page number (1-based) or 0


def _listing_pages(products: int, categories: int) -> int:
    """Listing pages needed when ``products`` are dealt round-robin over ``categories``."""
    base, extra = divmod(products, categories)
    pages_of = lambda n: max(1, -(-n // PER_PAGE))  # noqa: E731
    return extra * pages_of(base + 1) + (categories - extra) * pages_of(base)


@dataclass(frozen=True)
class ShopPlan:
    """Counts of each kind of page, chosen so that ``len(paths()) == pages`` exactly
    (less the ``gone`` paths).

    Two switches serve the history demo (``unsilo.demo.history``), off by default:
    ``og_fixed`` gives every product page complete Open Graph (the shop fixed that
    section), and ``gone`` paths answer 404 and leave the sitemap, while pages that
    linked them keep their links (as shops do), so a removed page that was shared is
    crawled as a broken bridge.
    """

    pages: int
    seed: int
    categories: int
    products: int
    articles: int
    og_fixed: bool = False
    gone: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls, pages: int, seed: int, *, og_fixed: bool = False, gone: frozenset[str] = frozenset()
    ) -> ShopPlan:
        if not MIN_PAGES <= pages <= MAX_PAGES:
            raise ValueError(f"pages must be between {MIN_PAGES} and {MAX_PAGES}, not {pages}")
        categories = max(3, min(400, pages // 250))
        articles = max(2, min(200, pages // 100))
        room = pages - len(FIXED_PAGES) - OUTLET_PAGES - articles
        lo, hi = 0, room  # largest product count whose listings still fit in ``room``
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if mid + _listing_pages(mid, categories) <= room:
                lo = mid
            else:
                hi = mid - 1
        articles += room - lo - _listing_pages(lo, categories)
        return cls(pages, seed, categories, lo, articles, og_fixed, frozenset(gone))

    # --- categories -------------------------------------------------------------------
    @cached_property
    def _categories(self) -> tuple[Category, ...]:
        """Built once: ``category()`` is called for every product card on every page."""
        out = []
        for c in range(self.categories):
            base = BASE_CATEGORIES[c % len(BASE_CATEGORIES)]
            series = c // len(BASE_CATEGORIES) + 1
            if series == 1:
                out.append(base)
            else:
                name = f"{base.name} · serie {series}"
                out.append(Category(f"{base.slug}-serie-{series}", name, base.nouns))
        return tuple(out)

    def category(self, c: int) -> Category:
        return self._categories[c]

    def category_size(self, c: int) -> int:
        base, extra = divmod(self.products, self.categories)
        return base + (c < extra)

    def category_pages(self, c: int) -> int:
        return max(1, -(-self.category_size(c) // PER_PAGE))

    def category_products(self, c: int, page: int) -> range:
        """Product indexes on listing ``page``: product ``i`` lives in category ``i % C``."""
        start = (page - 1) * PER_PAGE
        stop = min(start + PER_PAGE, self.category_size(c))
        return range(c + start * self.categories, c + stop * self.categories, self.categories)

    def category_path(self, c: int, page: int = 1) -> str:
        slug = OUTLET if c < 0 else self.category(c).slug
        return f"/category/{slug}" if page == 1 else f"/category/{slug}/page/{page}"

    def outlet_products(self, page: int) -> list[int]:
        return [(page * 7 + k * 5) % self.products for k in range(OUTLET_PER_PAGE)]

    # --- products and articles --------------------------------------------------------
    def product_name(self, i: int) -> str:
        if i == HOSTILE_PRODUCT:
            return HOSTILE_NAME
        return product_name(self.seed, i, self.category(i % self.categories))

    def product_features(self, i: int) -> ProductFeatures:
        """``product_features(i)``, with complete Open Graph once the section is fixed."""
        f = product_features(i)
        return f._replace(og="complete") if self.og_fixed else f

    def product_path(self, i: int) -> str:
        return f"/product/{slugify(self.product_name(i))}-{i}"

    def article_title(self, j: int) -> str:
        return article_title(self.seed, j)

    def article_path(self, j: int) -> str:
        return f"/blog/{slugify(self.article_title(j))}-{j}"

    # --- the whole plan ---------------------------------------------------------------
    def paths(self) -> Iterator[str]:
        """Every page the shop has (the ``gone`` ones left out)."""
        paths = self._all_paths()
        return (path for path in paths if path not in self.gone) if self.gone else paths

    def _all_paths(self) -> Iterator[str]:
        yield from FIXED_PAGES
        for c in range(self.categories):
            for page in range(1, self.category_pages(c) + 1):
                yield self.category_path(c, page)
        for page in range(1, OUTLET_PAGES + 1):
            yield self.category_path(-1, page)
        for i in range(self.products):
            yield self.product_path(i)
        for j in range(self.articles):
            yield self.article_path(j)

    def route(self, path: str) -> Route | None:
        """Map a path back to what it shows; ``None`` for anything the shop does not have."""
        if path in self.gone:
            return None
        if path in FIXED_PAGES:
            return Route("fixed", 0, 0)
        if m := _PRODUCT.match(path):
            i = int(m.group(2))
            if i < self.products and self.product_path(i) == path:
                return Route("product", i, 0)
        elif m := _ARTICLE.match(path):
            j = int(m.group(2))
            if j < self.articles and self.article_path(j) == path:
                return Route("article", j, 0)
        elif m := _PAGED.match(path):
            page = int(m.group(2) or 1)
            if m.group(2) == "1":
                return None  # page 1 lives at the bare category URL only
            if m.group(1) == OUTLET:
                return Route("outlet", -1, page) if page <= OUTLET_PAGES else None
            c = self.category_index(m.group(1))
            if c is not None and page <= self.category_pages(c):
                return Route("category", c, page)
        return None

    def category_index(self, slug: str) -> int | None:
        base_slug, _, series = slug.partition("-serie-")
        if series and not series.isdigit():
            return None
        for b, base in enumerate(BASE_CATEGORIES):
            if base.slug == base_slug:
                c = b if not series else (int(series) - 1) * len(BASE_CATEGORIES) + b
                ok = c < self.categories and self.category(c).slug == slug
                return c if ok else None
        return None
