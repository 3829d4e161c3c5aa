-- The reports' tallies: every landing's figures (its state, host, offer kind, rating, decision
-- and endorsement times; a partnership's use and visitor-days), summed by month, scope (the
-- network '', a cluster, a partnership), dimension and value. A year's report reads a few
-- thousand of these rows instead of every landing of the year.
--
-- A change to a landing appends what it moves to report_tally_changes, in its own transaction:
-- appending takes no lock another approval waits for. The maintenance sweep folds the changes
-- into report_tallies; a report reads both.
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
    id BIGSERIAL PRIMARY KEY,
    scope TEXT NOT NULL,
    month DATE NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    total BIGINT NOT NULL
);
-- The narrow copies of landings the reports scanned are not read any more, and each cost every
-- approval two index entries. The stay's GiST index stays: it finds the landings at a range's
-- ragged edges.
DROP INDEX landings_use;
DROP INDEX landings_report;
