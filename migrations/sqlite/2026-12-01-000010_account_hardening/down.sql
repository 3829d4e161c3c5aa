DELETE FROM one_time_tokens WHERE purpose = 'email_confirmation';
DROP INDEX one_time_tokens_user_purpose;
DROP INDEX one_time_tokens_user;
ALTER TABLE one_time_tokens RENAME TO one_time_tokens_new;
CREATE TABLE one_time_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'invitation')),
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO one_time_tokens SELECT id, token_hash, user_id, purpose, expires_at, used_at, created_at
  FROM one_time_tokens_new;
DROP TABLE one_time_tokens_new;
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id);
ALTER TABLE users DROP COLUMN email_confirmed_at;
