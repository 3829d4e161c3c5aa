-- Webhooks: partner portals' endpoints, and the log of every delivery attempt. A delivery itself
-- is an outbox row (channel 'webhook', recipient = the webhook's id, payload = the signed body,
-- message_id = the `webhook-id` every retry repeats), written in the transaction of the change.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    url TEXT NOT NULL,
    description TEXT,
    -- JSON array of event types, or group wildcards such as "landing.*".
    events TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    -- Why the service disabled it (a 410 answer, five days of failures); NULL otherwise.
    disabled_reason TEXT,
    -- The signing secret, sealed with the service's key (ChaCha20-Poly1305, base64 of nonce and
    -- ciphertext); never stored in plain text.
    secret TEXT NOT NULL,
    -- After a rotation the previous secret signs too, until previous_secret_until.
    previous_secret TEXT,
    previous_secret_until TIMESTAMP,
    -- The first failed attempt since the last delivered one; NULL while deliveries succeed.
    failing_since TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_cluster ON webhooks (cluster_id, id);

CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    delivery_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    attempted_at TIMESTAMP NOT NULL,
    -- NULL when no answer came (refused target, connection error, timeout).
    status_code INTEGER,
    duration_ms INTEGER NOT NULL,
    error TEXT,
    -- The first 1 KB of the answer's body.
    response_body TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);
CREATE INDEX webhook_attempts_webhook ON webhook_attempts (webhook_id);

-- An endpoint's deliveries, newest first.
CREATE INDEX outbox_webhook_deliveries ON outbox (recipient, id) WHERE channel = 'webhook';

-- Each channel's worker walks a due index of its own: the email worker never steps over webhook
-- deliveries, and the webhook worker reads each endpoint's due deliveries apart, so one
-- endpoint's backlog does not slow the claim for the others.
DROP INDEX outbox_due;
CREATE INDEX outbox_email_due ON outbox (next_attempt_at)
    WHERE status = 'pending' AND channel = 'email';
CREATE INDEX outbox_webhook_due ON outbox (recipient, next_attempt_at)
    WHERE status = 'pending' AND channel = 'webhook';
