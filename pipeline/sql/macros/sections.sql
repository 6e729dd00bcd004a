-- page_section(path, sd_types, og_type): which part of a shop a page is. Home by path, then
-- schema.org types (short names), og:type, then URL patterns; listing roots without a slug
-- (/blog, /collections) stay 'other'.
create or replace temp macro page_section(path, sd_types, og_type) as
    case
        when path = '/' then 'home'
        when list_has_any(sd_types, ['Product', 'ProductGroup', 'IndividualProduct'])
            or og_type in ('product', 'og:product', 'product.item', 'product.group')
            then 'product'
        when list_has_any(
            sd_types, ['Article', 'BlogPosting', 'NewsArticle', 'TechArticle', 'Blog']
        )
            or og_type = 'article'
            then 'article'
        when list_has_any(sd_types, ['CollectionPage', 'OfferCatalog', 'ItemList'])
            then 'category'
        when regexp_matches(path, '(?i)/(products?|p|items?|produkt|produkter|vare)/[^/]+')
            then 'product'
        when regexp_matches(
            path,
            '(?i)/((blog|news|articles?|journal|magazine|guides?|stories)/[^/]+'
            || '|blogs/[^/]+/[^/]+)'
        )
            then 'article'
        when regexp_matches(
            path, '(?i)/(collections?|categor(y|ies)|c|shop|catalog|kategori(er)?)/[^/]+'
        )
            then 'category'
        else 'other'
    end;
