DROP INDEX offers_search_text;
ALTER TABLE offers DROP COLUMN search_text;
DROP EXTENSION IF EXISTS pg_trgm;
