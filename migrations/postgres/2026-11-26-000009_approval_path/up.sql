-- A landing keeps the open days of its range on its own row, as counted when it was requested
-- (or when its approval re-read a changed calendar); the booking ledger holds them while the
-- landing is approved, completed or a no-show. An approval re-reads the offer's calendar only
-- when `offers.calendar_version` moved since the request: every edit of the offer and every
-- blackout added or removed moves it.
ALTER TABLE offers ADD COLUMN calendar_version INTEGER NOT NULL DEFAULT 1;
-- Comma-separated ISO dates, ascending.
ALTER TABLE landings ADD COLUMN days TEXT NOT NULL DEFAULT '';
-- Landings requested before this migration compare unequal, so their approval re-reads the
-- calendar.
ALTER TABLE landings ADD COLUMN calendar_version INTEGER NOT NULL DEFAULT 0;

UPDATE landings
   SET days = held.days
  FROM (SELECT landing_id, string_agg(to_char(day, 'YYYY-MM-DD'), ',' ORDER BY day) AS days
          FROM landing_days
         GROUP BY landing_id) AS held
 WHERE held.landing_id = landings.id;

DROP TABLE landing_days;

-- Email payloads are 2–3 kB of text, just over the size PostgreSQL compresses and moves out of
-- line; lz4 compresses them several times faster than the default pglz, and small enough to stay
-- in the row. A server built without lz4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE outbox ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available; outbox payloads stay compressed with pglz';
END
$$;

-- The worker looks for due rows among pending ones only. A partial index stays as small as the
-- backlog, takes no entry when a row is sent, and lets a claim walk it in due order.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
-- A Message-ID is made from its row's id, the primary key: a second unique index only costs
-- every insert and every status change an entry.
ALTER TABLE outbox DROP CONSTRAINT outbox_message_id_key;
-- Room on each page for the worker's lease updates, which change no indexed column, to stay on
-- the page (HOT) without new index entries.
ALTER TABLE outbox SET (fillfactor = 70);
