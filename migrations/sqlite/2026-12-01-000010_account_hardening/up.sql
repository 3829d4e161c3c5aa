-- A person's address is confirmed before the first login: by the link of an SME sign-up, or by
-- setting a password from an invitation (which reached the address). Accounts that exist
-- already count as confirmed.
ALTER TABLE users ADD COLUMN email_confirmed_at TIMESTAMP;
UPDATE users SET email_confirmed_at = created_at;

-- One-time tokens also confirm addresses; the reset throttle counts an account's recent tokens.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt under its own name.
DROP INDEX one_time_tokens_user;
ALTER TABLE one_time_tokens RENAME TO one_time_tokens_old;
CREATE TABLE one_time_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'invitation', 'email_confirmation')),
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO one_time_tokens SELECT id, token_hash, user_id, purpose, expires_at, used_at, created_at
  FROM one_time_tokens_old;
DROP TABLE one_time_tokens_old;
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id);
CREATE INDEX one_time_tokens_user_purpose ON one_time_tokens (user_id, purpose, created_at);
