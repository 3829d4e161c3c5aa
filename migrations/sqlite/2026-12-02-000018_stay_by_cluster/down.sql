DROP INDEX landings_home_stay;
DROP INDEX landings_host_stay;
