-- findings_social: one row per social-sharing finding of an indexable HTML page in a run: what
-- a share of the page would look like (Open Graph, the X card, the og:image itself) and
-- whether the page invites sharing and leads to the shop's profiles.
-- Inputs: page_facts, int_page_share_meta, og_images, int_shop_profile_pages ($run_id).
--
-- Rules (page_levels scores the same facts; the wording here names what is missing):
-- * og_incomplete: any of og:title, og:type, og:image, og:url absent;
-- * og_image_not_absolute: an og:image that is no absolute http(s) URL (platforms cannot
--   resolve it, and the probe does not fetch it);
-- * og_image_unreachable: the probe (og_images) got no 2xx, or no image/* content type; a
--   probe robots.txt forbade says nothing either way and is no finding; an image the probe
--   never reached (budget, page limit) is no finding either;
-- * og_image_too_small: under 1200x630 pixels. Facebook: "Use images that are at least
--   1200 x 630 pixels for the best display on high resolution devices. At the minimum, you
--   should use images that are 600 x 315 pixels to display link page posts with larger
--   images"; smaller ones display "much smaller"; "the minimum allowed image dimension is
--   200 x 200 pixels" (developers.facebook.com/docs/sharing/webmasters/images). X's large
--   card takes 300x157 at least (developer.x.com, summary card with large image). The
--   message says which of these tiers the image falls in;
-- * og_url_not_canonical: og:url present but neither the page's own nor its canonical key,
--   so shares are counted against another URL;
-- * twitter_card_missing: no twitter:card. X reads twitter:title/description/image with
--   og:* as fallback, but without twitter:card it "may" render a summary card at best
--   (developer.x.com/cards/markup), never the large image card;
-- * no_share_affordance: no share link, share widget or Web Share API call;
-- * no_profile_links: no link (or rel="me") to one of the shop's own profiles (shop_profiles).
with
pages as (
    select f.url, f.url_key, f.final_url_key, f.canonical_key, m.*
    from page_facts as f
    left join int_page_share_meta as m on m.url_key = f.url_key
    where f.run_id = $run_id and f.indexable
),

images as (
    select distinct on (url) *
    from og_images
    where run_id = $run_id
),

probed as (
    select
        p.*,
        i.status as image_status,
        i.content_type as image_type,
        i.width as image_width,
        i.height as image_height,
        i.error as image_error,
        i.error_kind as image_error_kind,
        list_filter(
            [
                case when p.og_title is null then 'og:title' end,
                case when p.og_type is null then 'og:type' end,
                case when p.og_image is null then 'og:image' end,
                case when p.og_url is null then 'og:url' end
            ],
            lambda x: x is not null
        ) as og_missing
    from pages as p
    left join images as i on i.url = trim(p.og_image)
),

og_findings as (
    select url, url_key, 'og_incomplete' as "check",
        format(_('Open Graph lacks {}'), array_to_string(og_missing, ', ')) as message,
        null as detail
    from probed where len(og_missing) > 0
    union all
    select url, url_key, 'og_image_not_absolute',
        _('og:image is not an absolute http(s) URL'), og_image
    from probed where og_image is not null and not is_absolute_http_url(og_image)
    union all
    select url, url_key, 'og_url_not_canonical',
        _('og:url names another URL than the page or its canonical'), og_url
    from probed
    where og_url is not null
        and not coalesce(og_url_key = final_url_key or og_url_key = canonical_key, false)
),

image_findings as (
    select url, url_key, 'og_image_unreachable' as "check",
        case
            when image_status is null
                then format(_('og:image could not be fetched: {}'), image_error)
            when image_status not between 200 and 299
                then format(_('og:image answered HTTP {}'), image_status)
            else format(_('og:image is served as {}, not as an image'),
                coalesce(image_type, _('no content type')))
        end as message,
        og_image as detail
    from probed
    where og_image is not null
        and (
            (image_status is null and image_error_kind is not null and image_error_kind <> 'robots')
            or image_status not between 200 and 299
            or (image_status between 200 and 299
                and not coalesce(lower(image_type) like 'image/%', false))
        )
    union all
    select url, url_key, 'og_image_too_small',
        format(_('og:image is {}x{} pixels: {}'), image_width, image_height,
            case
                when image_width < 200 or image_height < 200
                    then _('under the 200x200 Facebook accepts at all')
                when image_width < 600 or image_height < 315
                    then _('under 600x315, shared as a small thumbnail, not a large card')
                else _('under the 1200x630 that large cards are made for')
            end),
        og_image
    from probed
    where image_status between 200 and 299
        and lower(image_type) like 'image/%'
        and (image_width < 1200 or image_height < 630)
),

sharing_findings as (
    select url, url_key, 'twitter_card_missing' as "check",
        case when og_title is not null and og_image is not null
            then _('No twitter:card: X falls back to Open Graph for a small summary card at '
                || 'best')
            else _('No twitter:card and no Open Graph to fall back to: X shows a bare link')
        end as message,
        null as detail
    from probed where tw_card is null
    union all
    select url, url_key, 'no_share_affordance',
        _('No share button, share link or Web Share API on the page'), null
    from probed where not coalesce(share_affordance, false)
    union all
    select url, url_key, 'no_profile_links',
        _('The page links to none of the shop''s own social profiles'), null
    from probed where url_key not in (select url_key from int_shop_profile_pages)
),

all_rows as (
    select * from og_findings
    union all select * from image_findings
    union all select * from sharing_findings
)

select url, url_key, "check", message, detail from all_rows
