-- Text macros: crawled and API text is as hostile as any input, so what a report shows is cut.
-- cap_text('abcdef', 4) = 'abc…': at most n characters, the last one an ellipsis when cut.
create or replace temp macro cap_text(text, n) as
    case when length(text) > n then left(text, n - 1) || '…' else text end;
-- csv_cell('=HYPERLINK("x")') = '''=HYPERLINK("x")': a text cell a spreadsheet would read as a
-- formula (first character =, +, -, @, tab or carriage return: OWASP's CSV-injection list)
-- gets a leading single quote, so Excel and LibreOffice show it as text. CSV exports only;
-- Parquet keeps the raw text.
create or replace temp macro csv_cell(text) as
    case when left(text, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || text
         else text end;
