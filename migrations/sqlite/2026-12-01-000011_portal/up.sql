-- The portal: a person's language (the portal's and their emails'), and server-side sessions.
-- A session row is found by the SHA-256 of the id its cookie carries, so the table alone
-- signs nobody in.
-- One of en, de, sv, fr (the service refuses any other); NULL follows the browser.
ALTER TABLE users ADD COLUMN locale TEXT;

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
