ALTER TABLE outbox RESET (fillfactor);
ALTER TABLE outbox ADD CONSTRAINT outbox_message_id_key UNIQUE (message_id);
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
ALTER TABLE outbox ALTER COLUMN payload SET COMPRESSION default;

CREATE TABLE landing_days (
    landing_id TEXT NOT NULL REFERENCES landings (id),
    day DATE NOT NULL,
    PRIMARY KEY (landing_id, day)
);
INSERT INTO landing_days (landing_id, day)
SELECT id, day::date
  FROM landings, unnest(string_to_array(days, ',')) AS day
 WHERE days <> '' AND state IN ('approved', 'completed', 'no_show');

ALTER TABLE landings DROP COLUMN calendar_version;
ALTER TABLE landings DROP COLUMN days;
ALTER TABLE offers DROP COLUMN calendar_version;
