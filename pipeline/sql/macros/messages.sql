-- Message macro: _('Title is {} characters (over 60)') marks a sentence a person reads. It
-- returns its text unchanged, so the database and the exports keep the English sentence; the
-- report's `msg` filter (unsilo.reports.messages) matches the finished sentence against the
-- marked patterns and shows it in the report's language. Babel extracts the marked literals
-- (unsilo.reports.sql_messages), so each marked pattern is both the English text and the msgid.
-- Mark each whole sentence once: a plural as two patterns, a nested sentence on its own.
create or replace temp macro _(text) as text;
