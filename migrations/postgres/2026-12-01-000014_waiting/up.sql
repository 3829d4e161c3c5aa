-- What waits for a cluster's managers (/manage): its landings in one state, soonest first,
-- read without walking every landing the cluster ever hosted or sent.
CREATE INDEX landings_host_state ON landings (host_cluster_id, state, start_date);
CREATE INDEX landings_home_state ON landings (home_cluster_id, state, start_date);
