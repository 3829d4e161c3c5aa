-- A person's address is confirmed before the first login: by the link of an SME sign-up, or by
-- setting a password from an invitation (which reached the address). Accounts that exist
-- already count as confirmed.
ALTER TABLE users ADD COLUMN email_confirmed_at TIMESTAMP;
UPDATE users SET email_confirmed_at = created_at;

-- One-time tokens also confirm addresses; the reset throttle counts an account's recent tokens.
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('password_reset', 'invitation', 'email_confirmation'));
CREATE INDEX one_time_tokens_user_purpose ON one_time_tokens (user_id, purpose, created_at);
