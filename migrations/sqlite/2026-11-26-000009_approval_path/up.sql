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
   SET days = (SELECT group_concat(day, ',')
                 FROM (SELECT day FROM landing_days
                        WHERE landing_days.landing_id = landings.id
                        ORDER BY day))
 WHERE id IN (SELECT landing_id FROM landing_days);

DROP TABLE landing_days;

-- The worker looks for due rows among pending ones only. A partial index stays as small as the
-- backlog, takes no entry when a row is sent, and lets a claim walk it in due order.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
