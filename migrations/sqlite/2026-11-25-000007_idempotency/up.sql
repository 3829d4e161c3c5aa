-- Idempotency keys: one row per caller and key. A POST that carries the key claims its row
-- first (status NULL while it runs) and completes it with the response it answered, so a
-- replay answers the same. Rows older than 24 hours are purged; created_at is also the
-- claim's stamp that later writes compare-and-set on.
CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER CHECK (status BETWEEN 100 AND 599),
    response_body BLOB,
    response_headers TEXT,
    created_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    PRIMARY KEY (caller, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
