-- Host offers and their blackout periods. Calendar days are days in the host cluster's time
-- zone; open_weekdays holds the ISO weekday digits the offer is open on ("12345").
CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    kind TEXT NOT NULL CHECK (kind IN ('desk_space', 'introductions', 'market_briefing', 'event_access', 'meeting_room', 'mentoring')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    city TEXT NOT NULL,
    address TEXT,
    capacity INTEGER NOT NULL CHECK (capacity >= 1),
    available_from DATE NOT NULL,
    available_until DATE NOT NULL,
    max_stay_days INTEGER NOT NULL CHECK (max_stay_days >= 1),
    open_weekdays TEXT NOT NULL,
    languages TEXT NOT NULL DEFAULT '[]',
    sectors TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'paused', 'archived')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (available_from <= available_until)
);
CREATE INDEX offers_cluster ON offers (cluster_id, id);
CREATE INDEX offers_state ON offers (state, id);

CREATE TABLE offer_blackouts (
    id TEXT PRIMARY KEY NOT NULL,
    offer_id TEXT NOT NULL REFERENCES offers (id),
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (start_date <= end_date)
);
CREATE INDEX offer_blackouts_offer ON offer_blackouts (offer_id, start_date);
