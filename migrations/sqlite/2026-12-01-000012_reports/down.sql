ALTER TABLE smes DROP COLUMN languages;
