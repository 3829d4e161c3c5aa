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
