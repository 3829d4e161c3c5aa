-- What the offer search needs to stay fast as offers and landings grow.
--
-- `q` matches each word anywhere in the title or the description, without regard to case. The
-- lower-cased text is kept in a generated column, so a search no longer lower-cases every
-- description it looks at (that alone was most of a search's time), and ANALYZE keeps
-- statistics on it, so the planner knows how common a word is: a common word walks the offers
-- in id order and stops at a page, a rare one goes through the trigram index instead of
-- reading every offer. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension.
--
-- Finer statistics than the default tell a word in thirty offers from one in three hundred
-- (1000 made planning the larger part of a search).
--
-- The date range and headcount filter needs nothing new: it probes the booking ledger's
-- primary key (offer_id, day) per candidate offer, whatever the number of landings.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE offers ADD COLUMN search_text TEXT NOT NULL
    GENERATED ALWAYS AS (lower(title || ' ' || description)) STORED;
ALTER TABLE offers ALTER COLUMN search_text SET STATISTICS 300;
CREATE INDEX offers_search_text ON offers USING gin (search_text gin_trgm_ops);
