-- profile_key(handle, profile_url): how links to one social profile are told apart within a
-- platform: the handle, case-insensitively, or for a link without a parsed handle its URL
-- (lower case, no trailing slash). shop_profiles keys profiles by it; page_levels matches a
-- page's profile links to the shop's profiles by it.
create or replace temp macro profile_key(handle, profile_url) as
    coalesce(lower(handle), lower(rtrim(profile_url, '/')));
