-- The reports' tallies: every landing's figures summed by month, scope, dimension and value
-- (see the PostgreSQL migration). Changes are appended in the landing's transaction and folded
-- into report_tallies by the maintenance sweep.
CREATE TABLE report_tallies (
    scope TEXT NOT NULL,
    month DATE NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (scope, month, dimension, value)
);
CREATE TABLE report_tally_changes (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    month DATE NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    total BIGINT NOT NULL
);
DROP INDEX landings_use;
DROP INDEX landings_report;
-- The landings at a range's ragged edges are found by their stay.
CREATE INDEX landings_stay ON landings (start_date, end_date);
