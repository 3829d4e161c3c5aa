DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE TABLE landing_days (
    landing_id TEXT NOT NULL REFERENCES landings (id),
    day DATE NOT NULL,
    PRIMARY KEY (landing_id, day)
);
INSERT INTO landing_days (landing_id, day)
SELECT landings.id, day.value
  FROM landings, json_each('["' || replace(landings.days, ',', '","') || '"]') AS day
 WHERE landings.days <> '' AND landings.state IN ('approved', 'completed', 'no_show');

ALTER TABLE landings DROP COLUMN calendar_version;
ALTER TABLE landings DROP COLUMN days;
ALTER TABLE offers DROP COLUMN calendar_version;
