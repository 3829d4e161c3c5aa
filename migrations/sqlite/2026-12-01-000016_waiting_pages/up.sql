-- /manage reads what waits a page at a time, ordered by (start_date, id): with the id in the
-- index the page is read in order and stops after it, even under a plan prepared for any
-- page size, instead of sorting every pending landing of the cluster for each page.
DROP INDEX landings_host_state;
DROP INDEX landings_home_state;
CREATE INDEX landings_host_state ON landings (host_cluster_id, state, start_date, id);
CREATE INDEX landings_home_state ON landings (home_cluster_id, state, start_date, id);
