DROP TABLE landing_events;
DROP TABLE landing_days;
DROP TABLE landings;
