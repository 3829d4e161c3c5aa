DROP INDEX one_time_tokens_user_purpose;
DELETE FROM one_time_tokens WHERE purpose = 'email_confirmation';
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('password_reset', 'invitation'));
ALTER TABLE users DROP COLUMN email_confirmed_at;
