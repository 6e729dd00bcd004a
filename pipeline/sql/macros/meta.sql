-- Meta-tag macros over the extractor's [{property, content}] lists (page_social.og/.twitter).
-- meta_content(og, ['og:image', 'og:image:url']) = the first non-blank content of any of those
-- properties, in page order, or NULL.
create or replace temp macro meta_content(tags, properties) as
    list_filter(
        tags, lambda m: list_contains(properties, m.property) and trim(m.content) <> ''
    )[1].content;
