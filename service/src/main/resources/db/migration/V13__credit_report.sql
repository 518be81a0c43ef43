-- The read model of the credit liability report (io.leadcredits.report), kept from the event feed
-- by one projection per cluster. It writes each page of the feed's account events here in the same
-- transaction as its cursor in event_sink_offsets (sink 'credit-report'), so every event is
-- counted exactly once whatever crashes or restarts happen. Nothing else writes these tables.

-- One row per grant ever made. A grant id may be used again once its grant ended, so a grant is
-- keyed by the account's version of the top-up that made it; the top-ups stored before grants all
-- add to the account's legacy grant ('~legacy'). outstanding = granted - spent - expired - voided
-- as far as the projection has read: credits earmarked by an open hold are still in it.
CREATE TABLE credit_report_grants (
  account_id TEXT NOT NULL,
  grant_seq BIGINT NOT NULL,
  grant_id TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('paid', 'promotional')),
  granted BIGINT NOT NULL CHECK (granted >= 0),
  outstanding BIGINT NOT NULL CHECK (outstanding >= 0),
  expires_at TIMESTAMPTZ,
  price_minor BIGINT CHECK (price_minor >= 0),
  currency TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, grant_seq),
  CHECK ((price_minor IS NULL) = (currency IS NULL))
);

-- The grant a later event names: the newest of that id on the account.
CREATE INDEX credit_report_grants_by_id ON credit_report_grants (account_id, grant_id, grant_seq);

-- What the report of now reads: the grants with credits left, not the history of every grant.
CREATE INDEX credit_report_grants_live ON credit_report_grants (account_id, grant_seq)
  WHERE outstanding > 0;

-- Every change of a grant, dated as the ledger dates it (an expiry at the grant's expiresAt even
-- when recorded late): a report as of a past time subtracts what happened after it, and the
-- expired and voided totals of a period are sums over it. seq is the account's version of the
-- event; one event changes a grant at most once.
CREATE TABLE credit_report_movements (
  account_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  grant_seq BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('granted', 'spent', 'expired', 'voided')),
  amount BIGINT NOT NULL CHECK (amount > 0),
  at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, seq, grant_seq)
);

CREATE INDEX credit_report_movements_at ON credit_report_movements (at);

-- How far the read model has got: the time and id of the last event it applied and how many it
-- applied in all (one row, written with every page).
CREATE TABLE credit_report_position (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  last_event_at TIMESTAMPTZ NOT NULL,
  last_event_id TEXT NOT NULL,
  events_applied BIGINT NOT NULL
);
