DROP INDEX landings_home_state;
DROP INDEX landings_host_state;
CREATE INDEX landings_host_state ON landings (host_cluster_id, state, start_date);
CREATE INDEX landings_home_state ON landings (home_cluster_id, state, start_date);
