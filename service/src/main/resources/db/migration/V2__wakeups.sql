-- Durable reminders that an entity has work due (io.leadcredits.wakeup.WakeupStore): one row per
-- entity, holding its earliest due time. Sizes match the id rules (Ids: at most 64 characters).
CREATE TABLE wakeups (
  entity_type VARCHAR(32) NOT NULL,
  entity_id VARCHAR(64) NOT NULL,
  due_at TIMESTAMPTZ NOT NULL,
  -- Bumped by every write, so settling a reminder never removes one written after it was read.
  version BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (entity_type, entity_id)
);

-- The sweeper asks for the earliest due reminders; this index answers without a scan.
CREATE INDEX wakeups_due_at_idx ON wakeups (due_at);
