DROP INDEX outbox_webhook_deliveries;
DROP INDEX webhook_attempts_webhook;
DROP INDEX webhook_attempts_delivery;
DROP TABLE webhook_attempts;
DROP INDEX webhooks_cluster;
DROP TABLE webhooks;
