-- `q` matches each word anywhere in the title or the description, without regard to case: the
-- text it searches, lower-cased, as one column. SQLite adds generated columns to an existing
-- table only as VIRTUAL, computed when a search reads them; PostgreSQL stores and indexes it.
ALTER TABLE offers ADD COLUMN search_text TEXT NOT NULL
    GENERATED ALWAYS AS (lower(title || ' ' || description)) VIRTUAL;
