DROP INDEX landings_home_state;
DROP INDEX landings_host_state;
