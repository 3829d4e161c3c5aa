CREATE INDEX landings_use ON landings (start_date)
    INCLUDE (end_date, partnership_id, host_cluster_id, headcount, open_days)
    WHERE state IN ('approved', 'completed', 'no_show');
CREATE INDEX landings_report ON landings (start_date)
    INCLUDE (end_date, state, host_cluster_id, home_cluster_id, offer_id, rating, created_at,
             decided_at);
DROP TABLE report_tally_changes;
DROP TABLE report_tallies;
