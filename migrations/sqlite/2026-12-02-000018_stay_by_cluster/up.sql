-- A cluster's report reads the landings at its range's edges: those of the cluster whose stay
-- began before a day and lasts into it. SQLite answers "the cluster's landings" from
-- landings_host and landings_home and then reads every one of them to compare its dates
-- (PostgreSQL asks its GiST index on the stay). With the dates beside the cluster, each side is
-- one index range, the cluster's landings that began before the day, and the end date is
-- compared in the index.
CREATE INDEX landings_host_stay ON landings (host_cluster_id, start_date, end_date);
CREATE INDEX landings_home_stay ON landings (home_cluster_id, start_date, end_date);
