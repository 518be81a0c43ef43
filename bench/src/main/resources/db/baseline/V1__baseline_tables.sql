-- The benchmark's two baselines (io.leadcredits.baseline): the lock design (`--engine locks`) and
-- the one-round-trip SQL design (`--engine sql`). Both use these tables; the benchmark gives every
-- engine run a fresh database, so they never share rows. The actor engine never touches them.
--
-- Not a service migration: a baseline engine applies this location (db/baseline) itself when it
-- starts, after the service's own migrations, and records it in baseline_schema_history. So a
-- database the product runs on never gets these tables (io.leadcredits.baseline.BaselineSchema).
-- The functions of the SQL engine are in R__baseline_functions.sql, each as it runs.
--
-- The constraints are the last line of defence, not the logic: the engines decide under a row lock
-- and only then write, so a CHECK or unique violation here is a bug surfacing, never a rejection.

CREATE TABLE bl_accounts (
  account_id VARCHAR(64) PRIMARY KEY,
  balance BIGINT NOT NULL DEFAULT 0,
  -- Every hold not yet ended, including expired ones whose EXPIRE is not recorded yet (the
  -- baselines record expiries lazily); the engines subtract those when they compute available.
  reserved BIGINT NOT NULL DEFAULT 0,
  -- The number of ledger rows: the account's version, as clients see it.
  version BIGINT NOT NULL DEFAULT 0,
  CONSTRAINT bl_accounts_balance_not_negative CHECK (balance >= 0),
  CONSTRAINT bl_accounts_reserved_within_balance CHECK (reserved >= 0 AND reserved <= balance)
);

CREATE TABLE bl_holds (
  account_id VARCHAR(64) NOT NULL REFERENCES bl_accounts,
  hold_id VARCHAR(64) NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  expires_at TIMESTAMPTZ NOT NULL,
  -- Null while open; then exactly one end, once.
  ended VARCHAR(8) CHECK (ended IN ('CAPTURED', 'RELEASED', 'EXPIRED')),
  PRIMARY KEY (account_id, hold_id)
);

-- Open holds of an account, earliest expiry first: what "available" and the lazy expiry read.
CREATE INDEX bl_holds_open_idx ON bl_holds (account_id, expires_at) WHERE ended IS NULL;

-- The audit trail: one row per change, never updated or deleted.
CREATE TABLE bl_ledger (
  account_id VARCHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  transaction_id VARCHAR(64) NOT NULL,
  type VARCHAR(8) NOT NULL
    CHECK (type IN ('CREDIT', 'DEBIT', 'RESERVE', 'CAPTURE', 'RELEASE', 'EXPIRE')),
  -- Whether the row opens its transaction id (a request) or ends a hold opened earlier.
  opens BOOLEAN GENERATED ALWAYS AS (type IN ('CREDIT', 'DEBIT', 'RESERVE')) STORED,
  amount BIGINT NOT NULL CHECK (amount > 0),
  balance_before BIGINT NOT NULL,
  balance_after BIGINT NOT NULL,
  reserved_before BIGINT NOT NULL,
  reserved_after BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  metadata JSONB NOT NULL DEFAULT '{}',
  -- What makes a repeat "the same request" (opening rows only).
  fingerprint TEXT,
  -- RESERVE rows only: the hold's expiry, so the trail alone rebuilds the account.
  hold_expires_at TIMESTAMPTZ,
  PRIMARY KEY (account_id, version),
  CHECK (balance_after >= 0 AND reserved_after >= 0 AND reserved_after <= balance_after)
);

-- Idempotency under concurrency: a transaction id opens at most once per account, and a hold ends
-- at most once. Also the index behind every "was this transaction id seen" lookup.
CREATE UNIQUE INDEX bl_ledger_transaction_idx ON bl_ledger (account_id, transaction_id, opens);

-- The one function outside R__baseline_functions.sql: a trigger needs its function first, and Flyway
-- runs every versioned migration before the repeatable ones.
CREATE FUNCTION bl_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'bl_ledger is append-only';
END $$;

CREATE TRIGGER bl_ledger_append_only BEFORE UPDATE OR DELETE ON bl_ledger
  FOR EACH ROW EXECUTE FUNCTION bl_ledger_append_only();

CREATE TABLE bl_leads (
  lead_id VARCHAR(64) PRIMARY KEY,
  credit_cost BIGINT NOT NULL CHECK (credit_cost > 0),
  max_claims INT NOT NULL CHECK (max_claims BETWEEN 1 AND 1000),
  -- Confirmed claims: the counter the slot is taken on, checked against max_claims.
  claims INT NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL,
  closed_at TIMESTAMPTZ,
  CONSTRAINT bl_leads_claims_within_max CHECK (claims >= 0 AND claims <= max_claims)
);

-- A claim is confirmed and paid in the transaction that inserts it: there is no pending state.
CREATE TABLE bl_claims (
  lead_id VARCHAR(64) NOT NULL REFERENCES bl_leads,
  tradie_id VARCHAR(64) NOT NULL,
  claim_id VARCHAR(64) NOT NULL UNIQUE,
  seq INT NOT NULL,
  credits_used BIGINT NOT NULL,
  -- The tradie's balance right after paying: a repeated claim answers with it.
  balance_after BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (lead_id, tradie_id),
  UNIQUE (lead_id, seq)
);

-- What the SQL engine's functions return. Rejections are results ('INSUFFICIENT_CREDITS', …), not
-- exceptions.

CREATE TYPE bl_account_result AS (
  outcome TEXT,          -- 'OK' or a Rejection name
  detail TEXT,
  replayed BOOLEAN,
  balance_after BIGINT,  -- the balance right after the request's transaction
  balance BIGINT,
  reserved BIGINT,       -- live holds only
  version BIGINT,
  holds JSONB            -- live holds, earliest expiry first: [{"id","amount","expiresAt" µs}]
);

CREATE TYPE bl_lead_result AS (
  outcome TEXT,
  detail TEXT,
  replayed BOOLEAN,
  credit_cost BIGINT,
  max_claims INT,
  claims INT,
  expires_at TIMESTAMPTZ,
  closed_at TIMESTAMPTZ,
  claim_list JSONB       -- confirmed claims in the order won: [{"tradieId","claimId","at" µs}]
);

CREATE TYPE bl_claim_result AS (
  outcome TEXT,
  detail TEXT,
  replayed BOOLEAN,
  claim_id TEXT,
  credits_used BIGINT,
  balance_after BIGINT
);
