-- Text macros: crawled and API text is as hostile as any input, so what a report shows is cut.
-- cap_text('abcdef', 4) = 'abc…': at most n characters, the last one an ellipsis when cut.
create or replace temp macro cap_text(text, n) as
    case when length(text) > n then left(text, n - 1) || '…' else text end;
