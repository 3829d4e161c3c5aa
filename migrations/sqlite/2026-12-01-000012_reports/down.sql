DROP INDEX landings_report;
DROP INDEX landings_use;
ALTER TABLE smes DROP COLUMN languages;
