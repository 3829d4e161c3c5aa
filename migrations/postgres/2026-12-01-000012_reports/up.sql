-- Reports and matches. SMEs name the languages their people work in (ISO 639-1 codes, a JSON
-- list like `target_markets`), which matches compare with the languages of offers.
ALTER TABLE smes ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';

-- The reports read every landing whose stay shares a day with a range: a year is three quarters
-- of a million rows of a million. Read from the table, each row is some 550 bytes of text
-- (purpose, messages, the days). These indexes hold only what the reports read, in stay order,
-- so a report scans an index alone (index-only) at a sixth of the bytes or less.
--
-- The reciprocity: used landings (approved, completed, no-show) by partnership and host.
CREATE INDEX landings_use ON landings (start_date)
    INCLUDE (end_date, partnership_id, host_cluster_id, headcount, open_days)
    WHERE state IN ('approved', 'completed', 'no_show');
-- The summary: every landing's state, host, home, offer, rating and decision times.
CREATE INDEX landings_report ON landings (start_date)
    INCLUDE (end_date, state, host_cluster_id, home_cluster_id, offer_id, rating, created_at,
             decided_at);
-- Landings whose stay crosses a range's first or last day are counted day by day; the stay as a
-- range finds the few that hold a given day without reading every landing before it.
CREATE INDEX landings_stay ON landings USING gist (daterange(start_date, end_date, '[]'));
