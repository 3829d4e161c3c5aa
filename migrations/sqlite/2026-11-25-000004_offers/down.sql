DROP INDEX offer_blackouts_offer;
DROP TABLE offer_blackouts;
DROP INDEX offers_state;
DROP INDEX offers_cluster;
DROP TABLE offers;
