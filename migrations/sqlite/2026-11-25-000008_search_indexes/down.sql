ALTER TABLE offers DROP COLUMN search_text;
