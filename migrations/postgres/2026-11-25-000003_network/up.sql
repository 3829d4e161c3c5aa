-- The roaming network: versions for ETags on clusters and SMEs, partnerships (the Business
-- Roaming Agreement between two clusters, with its terms) and their audit trail.
ALTER TABLE clusters ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE smes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE partnerships (
    id TEXT PRIMARY KEY NOT NULL,
    proposer_cluster_id TEXT NOT NULL REFERENCES clusters (id),
    partner_cluster_id TEXT NOT NULL REFERENCES clusters (id),
    -- Both cluster ids in order, so a pair has one key whoever proposed.
    pair_key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('proposed', 'active', 'declined', 'suspended', 'terminated')),
    max_free_days INTEGER NOT NULL CHECK (max_free_days BETWEEN 1 AND 90),
    services TEXT NOT NULL DEFAULT '[]',
    home_endorsement_required BOOLEAN NOT NULL DEFAULT FALSE,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (proposer_cluster_id <> partner_cluster_id)
);
-- At most one partnership per pair that is not final (declined and terminated are final).
CREATE UNIQUE INDEX partnerships_open_pair ON partnerships (pair_key)
    WHERE state IN ('proposed', 'active', 'suspended');
CREATE INDEX partnerships_proposer ON partnerships (proposer_cluster_id);
CREATE INDEX partnerships_partner ON partnerships (partner_cluster_id);

CREATE TABLE partnership_events (
    id TEXT PRIMARY KEY NOT NULL,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    actor_id TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    note TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX partnership_events_partnership ON partnership_events (partnership_id, id);
