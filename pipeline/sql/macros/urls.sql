-- URL macros shared by the models that judge hosts.
-- url_host('https://Shop.example:8080/p') = 'shop.example' (lower case, no port, no userinfo
-- handling: keys and profile links never carry one).
create or replace temp macro url_host(url) as
    lower(regexp_extract(url, '^[a-zA-Z]+://([^/:?#]+)', 1));

-- host_on_site('www.shop.example', 'shop.example') = true: the host is the run's registrable
-- domain (runs.site) or below it; an empty site matches nothing.
create or replace temp macro host_on_site(host, site) as
    site <> '' and (host = site or host like '%.' || site);
