DROP INDEX sessions_expires;
DROP INDEX sessions_user;
DROP TABLE sessions;
ALTER TABLE users DROP COLUMN locale;
