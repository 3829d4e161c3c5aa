DROP INDEX offers_candidates;
