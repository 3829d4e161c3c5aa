-- Reports and matches. SMEs name the languages their people work in (ISO 639-1 codes, a JSON
-- list like `target_markets`), which matches compare with the languages of offers.
ALTER TABLE smes ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';

-- The reports read every landing whose stay shares a day with a range; these indexes hold what
-- they read, in stay order, so they scan an index instead of the table's wide rows (SQLite has
-- no INCLUDE: the columns are keys). The same names as on PostgreSQL.
CREATE INDEX landings_use ON landings (start_date, end_date, partnership_id, host_cluster_id,
    headcount, open_days) WHERE state IN ('approved', 'completed', 'no_show');
CREATE INDEX landings_report ON landings (start_date, end_date, state, host_cluster_id,
    home_cluster_id, offer_id, rating, created_at, decided_at);
