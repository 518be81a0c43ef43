-- Where each consumer of the event feed inside the service (the webhook dispatcher, the Kafka
-- sink) has got to: the feed cursor after the last event it handed on. A sink stores its cursor
-- with what it made of the events when it can (in the same transaction), else after they were
-- handed on: at-least-once, never a gap.
CREATE TABLE event_sink_offsets (
  sink TEXT PRIMARY KEY,
  cursor TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
