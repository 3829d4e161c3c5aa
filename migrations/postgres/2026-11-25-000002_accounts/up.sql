-- Accounts and the organisations they belong to: clusters and their member SMEs, people who
-- log in, partner portals' API clients, refresh tokens (hashed, in rotation families) and
-- one-time tokens for invitations and password resets (hashed, single use, expiring).
CREATE TABLE clusters (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    city TEXT NOT NULL,
    timezone TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    website TEXT,
    description TEXT,
    sectors TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX clusters_country ON clusters (country);

CREATE TABLE smes (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    sector TEXT NOT NULL,
    website TEXT,
    employees INTEGER,
    home_cluster_id TEXT NOT NULL REFERENCES clusters (id),
    membership TEXT NOT NULL CHECK (membership IN ('pending', 'verified', 'declined')),
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    target_markets TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX smes_home_cluster ON smes (home_cluster_id);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'cluster_manager', 'sme_member')),
    cluster_id TEXT REFERENCES clusters (id),
    sme_id TEXT REFERENCES smes (id),
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (
        (role = 'admin' AND cluster_id IS NULL AND sme_id IS NULL)
        OR (role = 'cluster_manager' AND cluster_id IS NOT NULL AND sme_id IS NULL)
        OR (role = 'sme_member' AND sme_id IS NOT NULL AND cluster_id IS NULL)
    )
);
-- Emails are stored lower-cased, so this is uniqueness without regard to case.
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_cluster ON users (cluster_id);
CREATE INDEX users_sme ON users (sme_id);

CREATE TABLE api_clients (
    id TEXT PRIMARY KEY NOT NULL,
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    name TEXT NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX api_clients_cluster ON api_clients (cluster_id);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    family_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    expires_at TIMESTAMP NOT NULL,
    rotated_at TIMESTAMP,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE one_time_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'invitation')),
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id);
