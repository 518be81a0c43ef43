-- Webhook endpoints and the deliveries owed to them (io.leadcredits.webhook). The dispatcher writes
-- one delivery per (event, enabled endpoint whose types accept it) in the same transaction as its
-- cursor in event_sink_offsets, so a crash neither loses nor repeats a delivery row; deliverers on
-- any node take due rows with FOR UPDATE SKIP LOCKED and lease them while the POST is under way.
CREATE TABLE webhook_endpoints (
  id VARCHAR(40) PRIMARY KEY,
  url VARCHAR(2048) NOT NULL,
  -- The event types it wants: exact types or prefixes ending in '.'; empty means every type.
  types TEXT[] NOT NULL DEFAULT '{}',
  description VARCHAR(500),
  status VARCHAR(16) NOT NULL CHECK (status IN ('ENABLED', 'DISABLED')),
  secret VARCHAR(100) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- A deleted endpoint is kept (its deliveries refer to it) but is never shown or delivered to.
  deleted BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE webhook_deliveries (
  id BIGSERIAL PRIMARY KEY,
  endpoint_id VARCHAR(40) NOT NULL REFERENCES webhook_endpoints (id),
  event_id VARCHAR(64) NOT NULL,
  -- The event's JSON exactly as the feed serves it: the body of every attempt, the signed bytes.
  event_json BYTEA NOT NULL,
  type VARCHAR(64) NOT NULL,
  status VARCHAR(16) NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
  attempts INT NOT NULL DEFAULT 0,
  last_status_code INT,
  last_attempt_at TIMESTAMPTZ,
  -- When a pending delivery is next due; while an attempt is under way, when its lease ends.
  next_attempt_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- One delivery per event and endpoint, however often a page is dispatched again.
  UNIQUE (endpoint_id, event_id)
);

-- "Due pending deliveries": only pending rows are indexed, so delivered history costs nothing here.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
  WHERE status = 'PENDING';

-- An endpoint's deliveries, newest first (GET /api/webhooks/{id}/deliveries).
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id DESC);
