DROP INDEX outbox_webhook_due;
DROP INDEX outbox_email_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
DROP INDEX outbox_webhook_deliveries;
DROP INDEX webhook_attempts_webhook;
DROP INDEX webhook_attempts_delivery;
DROP TABLE webhook_attempts;
DROP INDEX webhooks_cluster;
DROP TABLE webhooks;
