DROP INDEX partnership_events_partnership;
DROP TABLE partnership_events;
DROP INDEX partnerships_partner;
DROP INDEX partnerships_proposer;
DROP INDEX partnerships_open_pair;
DROP TABLE partnerships;
ALTER TABLE smes DROP COLUMN version;
ALTER TABLE clusters DROP COLUMN version;
