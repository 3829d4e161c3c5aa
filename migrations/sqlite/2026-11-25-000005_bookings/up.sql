-- The per-day booking ledger: how many visitors approved landings hold on each day of an
-- offer. Approvals write it in their transaction; availability and the search's headcount
-- filter read it, so neither scans landings.
CREATE TABLE offer_day_bookings (
    offer_id TEXT NOT NULL REFERENCES offers (id),
    day DATE NOT NULL,
    booked INTEGER NOT NULL CHECK (booked >= 0),
    PRIMARY KEY (offer_id, day)
);
