-- URL macros. Join keys, hosts and registrable domains are computed once in Python and stored
-- beside each URL (unsilo.urls); only this test of a meta tag's raw text remains in SQL.
-- is_absolute_http_url(' https://shop.example/i.jpg') = true; '/i.jpg', 'data:…' and NULL are
-- false: a share preview can only fetch an absolute http(s) image.
create or replace temp macro is_absolute_http_url(url) as
    coalesce(regexp_matches(trim(url), '(?i)^https?://[^/\s?#]+'), false);

-- loose_key('https://www.shop.example/a') = 'shop.example/a': a join key (unsilo.urls.url_key,
-- already lower-case host, no trailing slash, no tracking parameters) without its scheme and a
-- leading www., so a share of http://www.… finds the https://… page the crawl stored.
create or replace temp macro loose_key(url_key) as
    regexp_replace(url_key, '^[a-z][a-z0-9+.-]*://(www\.)?', '');
