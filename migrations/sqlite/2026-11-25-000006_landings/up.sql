-- Soft-landing requests, the days each approved landing holds in the booking ledger, and the
-- audit trail of every transition. Calendar days are days in the host cluster's time zone.
CREATE TABLE landings (
    id TEXT PRIMARY KEY NOT NULL,
    offer_id TEXT NOT NULL REFERENCES offers (id),
    sme_id TEXT NOT NULL REFERENCES smes (id),
    host_cluster_id TEXT NOT NULL REFERENCES clusters (id),
    home_cluster_id TEXT NOT NULL REFERENCES clusters (id),
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    requested_by TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    headcount INTEGER NOT NULL CHECK (headcount >= 1),
    open_days INTEGER NOT NULL CHECK (open_days >= 1),
    purpose TEXT NOT NULL,
    target_market TEXT,
    requested_services TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL CHECK (state IN ('pending_endorsement', 'pending_approval', 'approved',
        'rejected', 'declined', 'withdrawn', 'cancelled', 'completed', 'no_show', 'expired')),
    endorsement_note TEXT,
    message TEXT,
    reason TEXT,
    outcome TEXT,
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    feedback_comment TEXT,
    feedback_at TIMESTAMP,
    decided_at TIMESTAMP,
    reminder_sent_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (start_date <= end_date),
    CHECK (host_cluster_id <> home_cluster_id)
);
CREATE INDEX landings_sme ON landings (sme_id, id);
CREATE INDEX landings_host ON landings (host_cluster_id, id);
CREATE INDEX landings_home ON landings (home_cluster_id, id);
CREATE INDEX landings_offer ON landings (offer_id, id);
-- The expiry sweep and the reminders look for landings by state and start date.
CREATE INDEX landings_state_start ON landings (state, start_date);

-- The open days an approved landing holds, so cancelling releases exactly what approval took.
CREATE TABLE landing_days (
    landing_id TEXT NOT NULL REFERENCES landings (id),
    day DATE NOT NULL,
    PRIMARY KEY (landing_id, day)
);

CREATE TABLE landing_events (
    id TEXT PRIMARY KEY NOT NULL,
    landing_id TEXT NOT NULL REFERENCES landings (id),
    actor_id TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    note TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX landing_events_landing ON landing_events (landing_id, id);
