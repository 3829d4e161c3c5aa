-- An SME's matches weigh every published offer of the home cluster's partners from a few of its
-- columns: they are read from this index alone, not from the table's wide rows.
CREATE INDEX offers_candidates ON offers (cluster_id, state, id, kind, capacity, available_from,
    available_until, open_weekdays, languages, sectors);
