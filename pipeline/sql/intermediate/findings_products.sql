-- findings_products: one row per product finding of an indexable page in a run, one per
-- (page, check) however many products on the page share the problem. Only indexable pages:
-- Google shows product results for pages it indexes, so a variant canonicalised to its main
-- page or a noindex page would only repeat (or invent) the main page's findings.
-- Inputs: page_facts, stg_pages (h1), stg_page_products ($run_id).
--
-- Google's product rich results (developers.google.com/search/docs/appearance/structured-data/
-- product-snippet and merchant-listing) read JSON-LD and microdata Products:
-- * product_name_missing: a Product needs a name;
-- * product_no_offer_review_rating: and one of offers, review or aggregateRating;
-- * offer_price_missing / offer_price_invalid: an Offer needs price (an AggregateOffer
--   lowPrice), a plain number with a '.' decimal point ('12,99 €' is none);
-- * offer_currency_invalid: priceCurrency, an ISO 4217 code of three capital letters;
-- * offer_availability_invalid: availability, when given, a schema.org ItemAvailability value;
-- * rating_incomplete: an aggregateRating needs ratingValue and ratingCount or reviewCount.
-- Where the page's own claims disagree (Google: markup must match what the page shows):
-- * product_price_disagrees / product_currency_disagrees / product_availability_disagrees:
--   product:* Open Graph names a price (currency, availability) no structured offer has; an
--   AggregateOffer's range lowPrice..highPrice contains the prices it agrees with;
-- * product_name_not_h1: the page's one product name and its first h1 do not contain one
--   another (case and spacing ignored); pages with several products are listings, left out.
with
pages as (
    select f.url, f.url_key, p.h1
    from page_facts as f
    join stg_pages as p on p.url_key = f.url_key
    where f.run_id = $run_id and f.indexable
),

products as (
    select p.url, p.h1, pr.*
    from stg_page_products as pr
    join pages as p on p.url_key = pr.url_key
),

structured as (
    select * from products where is_structured
),

open_graph as (
    select * from products where not is_structured
),

offers as (
    select url, url_key, label, source_label, source, position, o.*
    from (
        select url, url_key, label, source_label, source, position, unnest(offers) as o
        from structured
    )
),

product_problems as (
    select url, url_key, 'product_name_missing' as "check", label, source_label, position,
        _('The product has no name') as problem, null as detail
    from structured where nullif(trim(name), '') is null
    union all
    select url, url_key, 'product_no_offer_review_rating', label, source_label, position,
        _('The product has no offers, review or aggregateRating'), name
    from structured where len(offers) = 0 and reviews = 0 and not has_rating
    union all
    select url, url_key, 'rating_incomplete', label, source_label, position,
        case when rating_value is null then _('The aggregateRating has no ratingValue')
            else _('The aggregateRating has neither ratingCount nor reviewCount') end,
        name
    from structured
    where has_rating and (rating_value is null or coalesce(rating_count, review_count) is null)
),

offer_problems as (
    select url, url_key, 'offer_price_missing' as "check", label, source_label, position,
        format(_('An {} has no price'), type) as problem, null as detail
    from offers where price_text is null
    union all
    select url, url_key, 'offer_price_invalid', label, source_label, position,
        _('An offer price is not a plain number'), price_text
    from offers where price_text is not null and price is null
    union all
    select url, url_key, 'offer_currency_invalid', label, source_label, position,
        case when currency is null then _('An offer has no priceCurrency')
            else _('An offer priceCurrency is no ISO 4217 code') end,
        currency
    from offers where not coalesce(regexp_full_match(currency, '[A-Z]{3}'), false)
    union all
    select url, url_key, 'offer_availability_invalid', label, source_label, position,
        _('An offer availability is no schema.org ItemAvailability value'), availability_text
    from offers where availability_text is not null and availability is null
),

per_page_problems as (
    select
        url,
        url_key,
        "check",
        case
            when count(*) = 1 then format(
                _('{} ({} product {})'),
                any_value(problem), any_value(source_label), any_value(position)
            )
            else format(
                _('{} ({} products, first {} product {})'),
                min(problem), count(*), arg_min(source_label, label), arg_min(position, label)
            )
        end as message,
        min(detail) as detail
    from (select * from product_problems union all select * from offer_problems)
    group by url, url_key, "check"
),

claims as (
    select
        url_key,
        list(distinct price) filter (where price is not null) as prices,
        list(distinct upper(currency)) filter (where currency is not null) as currencies,
        list(distinct availability) filter (where availability is not null) as availabilities,
        list(distinct price_text) filter (where price_text is not null) as price_texts
    from offers
    group by url_key
),

price_ranges as (
    select url_key, price as low, coalesce(high_price, price) as high
    from offers
    where price is not null
),

disagreements as (
    select g.url, g.url_key, 'product_price_disagrees' as "check",
        format(_('product:price:amount is {}, the structured data says {}'),
            g.price_text, array_to_string(c.price_texts, ', ')) as message,
        g.price_text as detail
    from open_graph as g
    join claims as c on c.url_key = g.url_key
    where g.price is not null and len(c.prices) > 0
        and not exists (
            select 1 from price_ranges as r
            where r.url_key = g.url_key and g.price between r.low and r.high
        )
    union all
    select g.url, g.url_key, 'product_currency_disagrees',
        format(_('product:price:currency is {}, the structured data says {}'),
            g.currency, array_to_string(c.currencies, ', ')),
        g.currency
    from open_graph as g
    join claims as c on c.url_key = g.url_key
    where g.currency is not null and len(c.currencies) > 0
        and not list_contains(c.currencies, upper(g.currency))
    union all
    select g.url, g.url_key, 'product_availability_disagrees',
        format(_('product:availability says {}, the structured data says {}'),
            g.availability, array_to_string(c.availabilities, ', ')),
        g.offers[1].availability_text
    from open_graph as g
    join claims as c on c.url_key = g.url_key
    where g.availability is not null and len(c.availabilities) > 0
        and not list_contains(c.availabilities, g.availability)
),

named as (
    select
        url,
        url_key,
        any_value(h1)[1] as h1,
        any_value(name) as name,
        lower(trim(regexp_replace(any_value(h1)[1], '\s+', ' ', 'g'))) as h1_text,
        lower(trim(regexp_replace(any_value(name), '\s+', ' ', 'g'))) as name_text
    from structured
    where nullif(trim(name), '') is not null
    group by url, url_key
    having count(distinct lower(trim(name))) = 1
),

name_findings as (
    select url, url_key, 'product_name_not_h1' as "check",
        format(_('The product is named "{}", the h1 says "{}"'), name, h1) as message,
        name as detail
    from named
    where nullif(h1_text, '') is not null
        and not contains(h1_text, name_text) and not contains(name_text, h1_text)
),

all_rows as (
    select * from per_page_problems
    union all select * from disagreements
    union all select * from name_findings
)

select url, url_key, "check", message, detail from all_rows
